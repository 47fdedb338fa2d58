"""A province's network as a YAML file: loaded by `pantau init --network`, exported again,
loaded twice without duplicates, and refused with the place of the problem named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.store import Agency, Database, User, Watchlist
from pantau.store.workflow_models import IssueCorrection  # noqa: F401  (all tables known)
from pantau.workflow.network_file import NetworkError, dump_network, load_network, read_network

DEMO = Path(__file__).resolve().parents[2] / "src/pantau/data/demo/network.yaml"


def test_init_loads_the_demo_network_and_export_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'net.db'}"
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PANTAU_SECRET_KEY", raising=False)
    _load()
    done = CliRunner().invoke(
        app, ["init", "--province", "64", "--network", str(DEMO), "--database-url", url]
    )
    assert done.exit_code == 0, done.output
    said = " ".join(done.output.split())  # the console wraps long lines
    assert "6 instansi" in said and "kata sandi awal sari.pdam" in said
    exported_cli = CliRunner().invoke(app, ["network", "export", "--database-url", url])
    assert exported_cli.exit_code == 0 and "PDAM Samarinda" in exported_cli.stdout
    db = Database(url)
    with db.session() as s:
        pdam = s.scalar(select(Agency).where(Agency.short_name == "PDAM Samarinda"))
        assert pdam is not None and pdam.level == "bumd"
        parent = s.get(Agency, pdam.parent_id)
        assert parent is not None and parent.short_name == "Diskominfo Samarinda"
        assert s.scalar(select(func.count(Watchlist.id))) == 6
        exported = dump_network(s)
    again = read_network(exported)
    names = {a["short_name"] for a in again["agencies"] if "short_name" in a}
    assert {"PDAM Samarinda", "PUPR Kaltim", "Diskominfo Samarinda"} <= names
    with db.writer() as s:  # loading the export again changes nothing and duplicates nothing
        result = load_network(s, again)
        assert result.passwords == {}
    with db.session() as s:
        assert s.scalar(select(func.count(Agency.id))) == 17
        assert s.scalar(select(func.count(User.id))) == 6
        assert dump_network(s) == exported
    db.dispose()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("agencies:\n  - {name: X, level: dinas}\n", "agencies[0].level"),
        ("agencies:\n  - {name: X, level: opd, parent: Tidak Ada}\n", "agencies[0].parent"),
        ("agencies:\n  - {name: X, level: opd, watchlists: [{name: a, query: 'a AND ('}]}\n",
         "agencies[0].watchlists[0].query"),
        ("users:\n  - {username: A, role: analis}\n", "users[0].username"),
        ("users:\n  - {username: budi.x, role: raja}\n", "users[0].role"),
        ("agencies: [1, 2]\n", "agencies"),
        ("agencies:\n  - name: [unclosed\n", "baris"),
        ("pengguna: []\n", "pengguna"),
    ],
)  # fmt: skip
def test_a_bad_file_names_the_place_and_stores_nothing(
    tmp_path: Path, text: str, where: str
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'bad.db'}")
    db.upgrade()
    with pytest.raises(NetworkError) as caught, db.writer() as s:
        load_network(s, read_network(text))
    assert str(caught.value).startswith(where)
    with db.session() as s:
        assert s.scalar(select(func.count(Agency.id))) == 0
    db.dispose()


def test_the_demo_file_is_valid_yaml_with_its_licence_noted() -> None:
    text = DEMO.read_text(encoding="utf-8")
    assert "written for pantau" in text
    data = yaml.safe_load(text)
    assert len(data["agencies"]) == 6 and len(data["users"]) == 6
