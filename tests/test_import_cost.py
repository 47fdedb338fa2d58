"""Start-up cost: heavy libraries load where they are used, not when a module is imported.

Checked by what a fresh interpreter holds in ``sys.modules`` after the import, not by a time:
``pantau --help`` must not load the store, the text models or the workflow stage, and a process
that imports the pipeline (a worker that reanalyzes) must not load the flow's loop, the report
charts (matplotlib), scipy or scikit-learn before it builds anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def _loaded(code: str) -> set[str]:
    """The top-level packages and pantau modules a fresh interpreter holds after ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    names = json.loads(done.stdout.splitlines()[-1])
    return {n if n.startswith("pantau.") else n.partition(".")[0] for n in names}


HEAVY = {"matplotlib", "scipy", "sklearn", "weasyprint", "docx", "dask", "distributed"}


def test_importing_the_pipeline_builds_nothing_heavy() -> None:
    loaded = _loaded("import pantau.flow.pipeline")
    assert "pantau.flow.pipeline" in loaded
    early = loaded & (HEAVY | {"pantau.flow.loop", "pantau.reports.charts"})
    assert not early, f"imported with the pipeline: {sorted(early)}"


@pytest.mark.parametrize("argv", [["--help"], ["analyze", "--help"], ["token", "--help"]])
def test_the_command_line_help_loads_no_stage(argv: list[str]) -> None:
    code = f"import sys\nsys.argv = ['pantau', *{argv!r}]\nfrom pantau.cli import main\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass"
    loaded = _loaded(code)
    assert "typer" in loaded
    stages = {"pantau.store.db", "pantau.workflow", "pantau.text", "pantau.scale.text"}
    early = loaded & (HEAVY | stages | {"numpy", "sqlalchemy"})
    assert not early, f"imported for the help text: {sorted(early)}"
