"""Run every benchmark in this folder, one after another, and list the result files.

Each ``benchmarks/<stage>_*.py`` measures against a baseline in the same run and writes its
figures to ``benchmarks/results/<stage>.md`` (the README links them). Usage::

    .venv/bin/python benchmarks/run_all.py            # all
    .venv/bin/python benchmarks/run_all.py text ingest  # only those stages
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = sorted(p for p in HERE.glob("*_*.py") if p.name != "run_all.py")
    failed = []
    for script in scripts:
        stage = script.stem.split("_", 1)[0]
        if wanted and stage not in wanted:
            continue
        print(f"== {script.name}", flush=True)
        start = time.monotonic()
        rc = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"== {script.name}: exit {rc} after {time.monotonic() - start:.0f} s", flush=True)
        if rc:
            failed.append(script.name)
    print(
        "results:",
        *sorted(str(p.relative_to(HERE.parent)) for p in (HERE / "results").glob("*.md")),
    )
    if failed:
        print("failed:", *failed)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
