"""The systemd units of docs/deploy pass ``systemd-analyze verify`` (pointed at this machine's
``pantau``), and the check does catch a broken unit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNITS = Path(__file__).resolve().parents[2] / "docs/deploy/systemd"
#: Where the units expect pantau; the test points them at the one running the tests.
SHIPPED = "/opt/pantau/.venv/bin/pantau"
#: The instances the admin guide starts (the runner is a template).
STARTED = ["pantau-web.service", "pantau-alerts.service", "pantau-runner@1.service"]


def _verify(folder: Path, *units: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.fail(
            "systemd-analyze missing: `make test` installs Debian's systemd when run as root"
        )
    return subprocess.run(
        [tool, "verify", "--man=no", *units],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def units(tmp_path: Path) -> Path:
    pantau = Path(sys.executable).with_name("pantau")
    assert pantau.exists(), f"{pantau}: install pantau into this environment first"
    for unit in UNITS.glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        assert SHIPPED in text, f"{unit.name} does not start {SHIPPED}"
        (tmp_path / unit.name).write_text(text.replace(SHIPPED, str(pantau)), encoding="utf-8")
    return tmp_path


def test_the_units_verify_cleanly(units: Path) -> None:
    result = _verify(units, *STARTED)
    assert result.returncode == 0, result.stderr
    findings = [line for line in result.stderr.splitlines() if "pantau" in line]
    assert findings == []  # warnings (an unknown key, a bad value) exit 0 but name the unit


def test_the_check_catches_a_broken_unit(units: Path) -> None:
    web = units / "pantau-web.service"
    web.write_text(
        web.read_text(encoding="utf-8").replace("Restart=on-failure", "Restart=kadang"),
        encoding="utf-8",
    )
    found = _verify(units, "pantau-web.service").stderr
    assert "pantau-web.service" in found and "kadang" in found
