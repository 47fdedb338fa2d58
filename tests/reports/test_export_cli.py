"""Exports and the ``pantau report`` / ``pantau export`` commands, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from pantau.reports.export import export_lines
from pantau.store import Database, Mention
from pantau.store.search import MentionFilter
from tests.conftest import AppEnv
from tests.reports.sample import DAY


def test_export_lines_csv_and_jsonl_hold_every_row(sample_db: Database) -> None:
    with sample_db.writer() as s:
        s.add(
            Mention(
                source_id=1,
                external_id="formula",
                channel="social",
                text='=HYPERLINK("http://x","klik") banjir, "kutip"\nbaris dua',
                author="@warga",
            )
        )
    text = "".join(export_lines(sample_db, MentionFilter(), "csv", tz="Asia/Makassar"))
    assert text.startswith("\ufeffID,Waktu terbit (WITA),Kanal,")  # Excel reads UTF-8 with it
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 35
    evil = rows[-1]
    assert evil["Teks"].startswith("'=HYPERLINK") and evil["Teks"].endswith("baris dua")
    assert evil["Penulis"] == "'@warga"
    with sample_db.session() as s:
        first = s.get(Mention, int(rows[0]["ID"])).published_at
    wita = first.astimezone(ZoneInfo("Asia/Makassar")).strftime("%Y-%m-%d %H:%M:%S")
    assert rows[0]["Waktu terbit (WITA)"] == wita
    # this store has no region table: the code stands in for the name it cannot find
    assert rows[1]["Kode wilayah"] == "64.72" and rows[1]["Wilayah"] == "64.72"
    lines = "".join(export_lines(sample_db, MentionFilter(q="cabai"), "jsonl")).splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["sentiment"] == "positive"
    counts: list[int] = []
    assert "".join(export_lines(sample_db, MentionFilter(), "jsonl", on_row=counts.append))
    assert counts[-1] == 35


def _pantau(env: AppEnv, *args: str) -> subprocess.CompletedProcess[bytes]:
    environ = {**os.environ, "PANTAU_DATABASE_URL": env.settings.database_url}
    environ["PANTAU_DATA_DIR"] = str(Path(env.settings.data_dir))
    code = "from pantau.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, env=environ, timeout=120
    )


@pytest.mark.slow
def test_report_and_export_commands(sample_env: AppEnv, tmp_path: Path) -> None:
    out = tmp_path / "harian.pdf"
    done = _pantau(
        sample_env,
        "report",
        "daily",
        "--date",
        DAY.isoformat(),
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes().startswith(b"%PDF")
    assert "Laporan Monitoring Media 2026-11-20: 29 sebutan, 3 isu" in done.stderr.decode()
    weekly = _pantau(
        sample_env,
        "report",
        "weekly",
        "--date",
        DAY.isoformat(),
        "--format",
        "html",
        "--output",
        "-",
    )
    assert weekly.returncode == 0 and b"Isu Aktual" in weekly.stdout
    # from the command line the report is the network's lead agency's: the province's office
    assert b'<p class="kop-name">Dinas Komunikasi dan Informatika Provinsi' in weekly.stdout
    bad = _pantau(
        sample_env,
        "report",
        "daily",
        "--date",
        "20-11-2026",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert bad.returncode == 2 and b"YYYY-MM-DD" in bad.stderr
    bad = _pantau(sample_env, "report", "daily", "--format", "odt", "--output", str(out))
    assert bad.returncode == 2 and b"pdf, html atau docx" in bad.stderr
    made = _pantau(sample_env, "report", "make", "weekly", "--date", DAY.isoformat(),
                   "--format", "html", "--output", "-")  # fmt: skip
    assert made.returncode == 0, made.stderr.decode()
    assert b"<h1>Isu Aktual</h1>" in made.stdout and b"Lima isu teratas" in made.stdout
    bad = _pantau(sample_env, "report", "make", "bulanan", "--format", "pdf", "--output", "-")
    assert bad.returncode == 2 and b"tersedia: daily, weekly" in bad.stderr
    filtered = _pantau(
        sample_env, "export", "--format", "jsonl", "--region", "64.71", "--q", "-pelapor0"
    )
    assert len(filtered.stdout.decode().splitlines()) == 7, filtered.stderr.decode()
    with sample_env.db.writer() as s:
        for m in s.scalars(select(Mention).where(Mention.author == "warga9")):
            m.noise = "sapaan"
    noise = _pantau(sample_env, "export", "--format", "jsonl", "--noise", "only")
    assert len(noise.stdout.decode().splitlines()) == 5, noise.stderr.decode()
    bad = _pantau(
        sample_env,
        "export",
        "--sentiment",
        "marah",
        "--since",
        "2026-11-21",
        "--until",
        "2026-11-20",
    )
    assert bad.returncode == 2
    assert "Sentimen 'marah' tidak dikenal" in bad.stderr.decode().replace("\n", " ")
    exported = _pantau(sample_env, "export", "--format", "jsonl", "--channel", "complaint")
    assert exported.returncode == 0, exported.stderr.decode()
    lines = exported.stdout.decode().splitlines()
    assert len(lines) == 2 and {json.loads(x)["channel"] for x in lines} == {"complaint"}
    assert "2 sebutan" in exported.stderr.decode()
    target = tmp_path / "semua.csv"
    assert _pantau(sample_env, "export", "--format", "csv", "--output", str(target)).returncode == 0
    assert len(list(csv.DictReader(target.open(encoding="utf-8")))) == 34
