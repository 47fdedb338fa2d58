"""Historical cases from a spreadsheet: good lines become cases, bad ones are quarantined with
their line and reason, and a second import adds nothing."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pantau.cli import _load, app
from tests.conftest import AppEnv
from tests.workflow.test_cases import _issue, env
from tests.workflow.test_workflow import Actor

__all__ = ["env"]

_load()

DISKOMINFO = "Dinas Komunikasi dan Informatika Kota Samarinda"
FLOOD_LESSON = "Posko di kelurahan dan kabar berkala tiap 3 jam meredam keluhan."
ROWS = [
    ["judul", "mulai", "selesai", "pelajaran", "wilayah", "instansi", "tindakan", "kata_kunci"],
    ["Banjir besar Sempaja 2024", "2024-01-10", "2024-01-14", FLOOD_LESSON, "64.72", DISKOMINFO,
     "holding_statement;cek_lapangan", "banjir;sempaja"],
    ["Jalan amblas Tenggarong", "2024-03-01", "2024-02-01", "Perbaikan darurat diumumkan.",
     "64.02", "", "", "jalan"],
    ["Longsor Balikpapan Utara", "2024-05-02", "2024-05-04", "pendek", "64.71", "", "", ""],
    ["Kebakaran pasar Segiri", "2024-06-01", "2024-06-02", "Klarifikasi Damkar menghentikan hoaks.",
     "64.72", "Dinas Rahasia", "", "kebakaran"],
    ["Hoaks beras plastik", "2024-07-01", "2024-07-02", "Bantahan uji lab BPOM dalam sehari.",
     "", "", "tweet", "hoaks"],
]  # fmt: skip
SHEET = "".join(",".join(row) + "\n" for row in ROWS)


def test_import_cases_from_a_spreadsheet(env: AppEnv, tmp_path: Path) -> None:
    sheet = tmp_path / "kasus.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    url = env.settings.database_url
    first = CliRunner().invoke(app, ["cases", "import", str(sheet), "--database-url", url])
    assert first.exit_code == 0, first.output
    assert "1 kasus diimpor, 0 sudah ada, 4 dikarantina" in first.output
    assert "baris 3: kolom 'selesai' sebelum 'mulai'" in first.output
    assert "baris 4: kolom 'berhasil', 'gagal', 'lain_kali' atau 'pelajaran'" in first.output
    assert "baris 5: kolom 'instansi': 'Dinas Rahasia' tidak terdaftar" in first.output
    assert "baris 6: kolom 'tindakan': tweet tidak dikenal" in first.output
    again = CliRunner().invoke(app, ["cases", "import", str(sheet), "--database-url", url])
    assert "0 kasus diimpor, 1 sudah ada, 4 dikarantina" in again.output

    rina = Actor(env, "rina")
    (case,) = rina.get("/cases?category=banjir")
    assert case["label"] == "Banjir besar Sempaja 2024" and case["closed_at"].startswith(
        "2024-01-14"
    )
    detail = rina.get(f"/cases/{case['id']}")
    assert [a["kind"] for a in detail["actions"]] == [
        "holding_statement",
        "cek_lapangan",
        "pelajaran",
    ]
    new = _issue(env, "Sempaja banjir lagi", ["banjir", "sempaja"])
    offered = rina.get(f"/issues/{new}/cases")
    assert offered[0]["issue_id"] == case["id"] and "Posko di kelurahan" in offered[0]["lessons"][0]
