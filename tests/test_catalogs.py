"""The catalogs and the code agree: every message id that ``make catalogs`` would extract (Babel,
with ``babel.cfg`` as it stands) is in both ``.po`` files, and every id in them is extracted, so
that running it obsoletes nothing still shown and no shown text goes untranslated.

An id used through a variable (a level stored in the database, an error's reason) is found only
where it is marked with ``N_()``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "src/pantau/locale"


def _ids(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {str(m.id) for m in read_po(fh) if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    pot = tmp_path_factory.mktemp("catalogs") / "messages.pot"
    extract = ["extract", "-F", "babel.cfg", "--no-location", "-o", str(pot), "."]  # as make does
    done = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", *extract],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return _ids(pot)


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_extracted_message_is_in_the_catalog_and_back(
    extracted: set[str], locale: str
) -> None:
    catalog = _ids(LOCALES / locale / "LC_MESSAGES/messages.po")
    assert sorted(extracted - catalog) == [], "append these at the end of both .po files"
    assert sorted(catalog - extracted) == [], "mark these N_() where defined, or drop them"
