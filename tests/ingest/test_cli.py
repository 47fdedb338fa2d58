"""The ingest commands through typer's runner on a real SQLite file and a live feed server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pantau.cli import _load, app

FIX = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("PANTAU_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PANTAU_FETCH_ALLOW_HOSTS", "127.0.0.0/8")
    monkeypatch.setenv("PANTAU_FETCH_HOST_INTERVAL", "0")
    _load()
    runner = CliRunner()

    def call(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    return call


def test_import_prints_summary_and_reimport_adds_nothing(cli):
    code, out, err = cli("import", str(FIX / "lapor_export.csv"), "--format", "lapor")
    assert code == 0, err
    assert json.loads(out) == {"imported": 3, "duplicates": 0, "quarantined": 1}
    assert "Diimpor: 3" in err
    # the summary names the field, the problem and the line
    assert "1 x Tanggal Laporan: tanggal tidak terbaca: '31/09/2024 11:00' (baris 4)" in err
    code, out, err = cli("import", str(FIX / "lapor_export.csv"), "--format", "lapor")
    assert json.loads(out) == {"imported": 0, "duplicates": 3, "quarantined": 0}


def test_mapping_format_and_unknown_format(cli):
    mapping = f"mapping:{FIX / 'brand24_mapping.toml'}"
    code, out, _ = cli("import", str(FIX / "brand24_export.csv"), "--format", mapping)
    assert code == 0 and json.loads(out)["imported"] == 2
    code, _, err = cli("import", str(FIX / "brand24_export.csv"), "--format", "friendster")
    assert code == 2 and "tidak dikenal" in err


def test_quarantine_list_and_retry(cli):
    cli("import", str(FIX / "x_v2_search.jsonl"), "--format", "x-v2")
    code, out, _ = cli("quarantine", "list")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {(r["line"], r["field"]) for r in rows} == {(2, "data[1].id"), (3, None)}
    code, _, err = cli("quarantine", "retry")
    assert code == 0 and "Berhasil: 0, masih gagal: 2" in err


def test_source_add_list_test_and_run(cli, news):
    url = news.url(news.feeds["kompas"])
    code, _, err = cli(
        "source", "add", "kompas", "--kind", "rss", "--url", url, "--tier", "national"
    )
    assert code == 0, err
    code, _, err = cli("source", "add", "kompas", "--kind", "rss", "--url", url)
    assert code == 2 and "sudah ada" in err
    code, out, err = cli("source", "test", "kompas")
    assert code == 0 and json.loads(out.splitlines()[0])["title"] == "Banjir Rendam Samarinda"
    code, _, err = cli("run", "--once", "--no-pipeline")
    assert code == 0 and "1 sebutan baru" in err
    code, out, _ = cli("source", "list", "--json")
    (row,) = json.loads(out)
    assert row["health"] == "ok" and row["last_success_at"]
    code, out, err = cli("source", "add", "wa", "--kind", "push", "--channel", "complaint")
    assert code == 0 and out.strip().startswith("pnt_")
