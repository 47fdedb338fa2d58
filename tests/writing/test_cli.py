"""``pantau lint`` and ``pantau compose`` through the real typer app, on real files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

import pantau.cli.lint  # noqa: F401  (registers the commands)
from pantau.cli import app

RELEASE = (
    "Posko Banjir Dibuka\n"
    "Samarinda - Pemerintah Kota Samarinda membuka posko banjir di Sempaja, Selasa (24/9/2024).\n"
    "Warga silahkan melapor. Bantuan Rp. 5.000 per orang.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_lint_json_follows_the_contract(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "rilis.txt"
    path.write_text(RELEASE, encoding="utf-8")
    result = runner.invoke(app, ["lint", str(path), "--format", "json"])
    assert result.exit_code == 1  # error-level findings present
    findings = json.loads(result.stdout)
    assert {tuple(sorted(f)) for f in findings} == {
        ("end", "message", "rule", "severity", "start", "suggestion")
    }
    spans = {f["rule"]: RELEASE[f["start"] : f["end"]] for f in findings}
    assert spans["ejaan.baku"] == "silahkan"
    assert spans["eyd.rupiah"] == "Rp. "
    assert spans["struktur.dateline"] == "Samarinda - "


def test_lint_offsets_count_characters_not_bytes(runner: CliRunner, tmp_path: Path) -> None:
    text = "Catatan “penting” é\n" + RELEASE
    path = tmp_path / "utf8.txt"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))  # a BOM is not part of the text
    findings = json.loads(runner.invoke(app, ["lint", str(path), "--format", "json"]).stdout)
    assert any(text[f["start"] : f["end"]] == "silahkan" for f in findings)


def test_lint_text_format_and_clean_exit(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "rilis.txt"
    path.write_text(RELEASE, encoding="utf-8")
    result = runner.invoke(app, ["lint", str(path)])
    assert f"{path}:3:7: error ejaan.baku:" in result.stdout
    clean = tmp_path / "bersih.txt"
    clean.write_text("Catatan rapat koordinasi.\n", encoding="utf-8")
    ok = runner.invoke(app, ["lint", str(clean), "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout) == []


def test_lint_fix_prints_the_fixed_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "rilis.txt"
    path.write_text(RELEASE, encoding="utf-8")
    result = runner.invoke(app, ["lint", str(path), "--fix"])
    assert "SAMARINDA - Pemerintah" in result.stdout
    assert "Warga silakan melapor. Bantuan Rp5.000 per orang." in result.stdout


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "berkas biner"),
        ("Pemberitahuan résumé".encode("latin-1"), "bukan teks UTF-8"),
    ],
)
def test_lint_rejects_bad_files_with_exit_2(
    runner: CliRunner, tmp_path: Path, payload: bytes, message: str
) -> None:
    path = tmp_path / "bukan-teks.txt"
    path.write_bytes(payload)
    result = runner.invoke(app, ["lint", str(path)])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_lint_missing_file_and_unknown_kind(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["lint", str(tmp_path / "tidak-ada.txt")]).exit_code == 2
    path = tmp_path / "rilis.txt"
    path.write_text(RELEASE, encoding="utf-8")
    assert runner.invoke(app, ["lint", str(path), "--kind", "memo"]).exit_code == 2


def test_compose_from_example_fields(runner: CliRunner, tmp_path: Path) -> None:
    example = runner.invoke(app, ["compose", "siaran_pers", "--example"])
    fields = tmp_path / "fakta.json"
    fields.write_text(example.stdout, encoding="utf-8")
    text = runner.invoke(app, ["compose", "siaran_pers", "--fields", str(fields)])
    assert text.exit_code == 0
    assert text.stdout.startswith("UNTUK DISIARKAN SEGERA")
    out = tmp_path / "rilis.docx"
    result = runner.invoke(
        app,
        [
            "compose",
            "siaran_pers",
            "--fields",
            str(fields),
            "--format",
            "docx",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0
    headings = [p.text for p in docx.Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert "Pemprov Kaltim Buka Posko Aduan Banjir 24 Jam" in headings


def test_compose_reports_missing_fields(runner: CliRunner, tmp_path: Path) -> None:
    fields = tmp_path / "fakta.json"
    fields.write_text(json.dumps({"headline": "Judul"}), encoding="utf-8")
    result = runner.invoke(app, ["compose", "siaran_pers", "--fields", str(fields)])
    assert result.exit_code == 2
    assert "belum diisi" in " ".join(result.output.split())
    fields.write_text("{bukan json", encoding="utf-8")
    invalid = runner.invoke(app, ["compose", "siaran_pers", "--fields", str(fields)])
    assert "JSON tidak valid" in " ".join(invalid.output.split())  # rich wraps long paths


def test_lint_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["lint", "-", "--format", "json"], input=RELEASE)
    assert "ejaan.baku" in {f["rule"] for f in json.loads(result.stdout)}


def test_lint_uses_the_extra_words_setting(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rilis.txt"
    path.write_text(RELEASE.replace("Warga silahkan", "Upacara nugal digelar"), encoding="utf-8")
    before = json.loads(runner.invoke(app, ["lint", str(path), "--format", "json"]).stdout)
    assert "ejaan.kbbi" in {f["rule"] for f in before}
    words = tmp_path / "kata.txt"
    words.write_text("nugal\n", encoding="utf-8")
    monkeypatch.setenv("PANTAU_WRITING_EXTRA_WORDS", str(words))
    after = json.loads(runner.invoke(app, ["lint", str(path), "--format", "json"]).stdout)
    assert "ejaan.kbbi" not in {f["rule"] for f in after}


def test_lint_lists_its_rules(runner: CliRunner) -> None:
    from pantau.writing import RULES

    result = runner.invoke(app, ["lint", "--rules"])
    assert result.exit_code == 0
    listed = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert listed == list(RULES)
    assert runner.invoke(app, ["lint"]).exit_code == 2


@pytest.mark.parametrize("kind", ["klarifikasi", "undangan_peliputan"])
def test_compose_example_per_kind_round_trips(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    fields = tmp_path / "fakta.json"
    fields.write_text(runner.invoke(app, ["compose", kind, "--example"]).stdout, encoding="utf-8")
    result = runner.invoke(app, ["compose", kind, "--fields", str(fields), "--format", "html"])
    assert result.exit_code == 0 and result.stdout.startswith("<!DOCTYPE html>")
