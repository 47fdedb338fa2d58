"""Writing commands: ``pantau lint`` checks a release, ``pantau compose`` drafts one from facts.

``pantau lint FILE [--format json]`` prints the findings (DESIGN.md contract: a JSON list of
``{rule, severity, start, end, message, suggestion}``, character offsets into the file's text).
Exit status: 0 without error-level findings, 1 with some, 2 when the file cannot be read.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pantau.cli import app
from pantau.cli.console import err, fail, out

__all__ = ["compose_cmd", "lint_cmd", "read_text"]


class LintFormat(StrEnum):
    """Output formats of ``pantau lint``."""

    text = "text"
    json = "json"


class ComposeFormat(StrEnum):
    """Output formats of ``pantau compose``."""

    text = "text"
    html = "html"
    pdf = "pdf"
    docx = "docx"


def read_text(path: str) -> str:
    """The UTF-8 text of ``path`` ("-" for stdin); exits 2 with a clear message otherwise."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        fail(f"{path}: berkas tidak dapat dibaca ({exc.strerror or exc}).")
    if b"\x00" in raw[:8192]:
        fail(f"{path}: berkas biner, bukan teks; simpan rilis sebagai teks UTF-8 (.txt).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(
            f"{path}: bukan teks UTF-8 (byte ke-{exc.start} tidak valid); simpan ulang berkas "
            "dengan pengodean UTF-8."
        )
    raise AssertionError("unreachable")  # fail() always exits


def _extra_words(path: str) -> list[str]:
    if not path:
        return []
    try:
        return Path(path).read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"PANTAU_WRITING_EXTRA_WORDS: {path} tidak dapat dibaca ({exc}).")
    return []


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


@app.command("lint")
def lint_cmd(
    file: Annotated[
        str | None, typer.Argument(help='Berkas teks rilis (UTF-8); "-" untuk stdin.')
    ] = None,
    format: Annotated[LintFormat, typer.Option(help="text (untuk dibaca) atau json.")] = (
        LintFormat.text
    ),
    kind: Annotated[
        str | None, typer.Option(help="Jenis dokumen, mis. undangan_peliputan (bukan berita).")
    ] = None,
    apply_fixes: Annotated[
        bool, typer.Option("--fix", help="Cetak teks dengan perbaikan aman yang diterapkan.")
    ] = False,
    list_rules: Annotated[
        bool, typer.Option("--rules", help="Cetak daftar aturan (id, tingkat, uraian) lalu keluar.")
    ] = False,
) -> None:
    """Periksa rilis: struktur berita, EYD V, ejaan KBBI, etika, keterbacaan.

    Status keluar: 0 tanpa galat, 1 bila ada galat, 2 bila berkas tidak dapat dibaca.
    """
    from pantau.settings import get_settings
    from pantau.writing import RULES, DictionaryMissing, Severity, fix, lint
    from pantau.writing.model import KINDS

    if list_rules:
        for item in RULES.values():
            sys.stdout.write(f"{item.id}\t{item.severity}\t{item.description}\n")
        return
    if file is None:
        fail('Sebutkan BERKAS yang diperiksa (atau "-" untuk stdin).')
        return

    if kind is not None and kind not in KINDS:
        fail(f"--kind {kind!r} tidak dikenal; pilih: {', '.join(KINDS)}.")
    settings = get_settings()
    text = read_text(file)
    try:
        findings = lint(
            text,
            kind=kind,
            timezone=settings.timezone,
            extra_words=_extra_words(settings.writing_extra_words),
        )
    except DictionaryMissing as exc:
        fail(str(exc))
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    if apply_fixes:
        fixed = fix(text, findings)
        sys.stdout.write(fixed)
        err.print(f"{sum(f.fix is not None for f in findings)} perbaikan aman diterapkan.")
    elif format == LintFormat.json:
        sys.stdout.write(json.dumps([f.to_dict() for f in findings], ensure_ascii=False) + "\n")
    else:
        for f in findings:
            line, col = _position(text, f.start)
            hint = f" (saran: {f.suggestion})" if f.suggestion else ""
            out.print(
                f"{file}:{line}:{col}: {f.severity} {f.rule}: {f.message}{hint}", markup=False
            )
    err.print(f"{len(findings)} temuan, {errors} galat.")
    if errors:
        raise typer.Exit(1)


@app.command("compose")
def compose_cmd(
    kind: Annotated[str, typer.Argument(help="siaran_pers, holding_statement, klarifikasi, ...")],
    fields: Annotated[
        str | None, typer.Option(help="Berkas JSON berisi fakta (lihat --example).")
    ] = None,
    format: Annotated[ComposeFormat, typer.Option(help="text, html, pdf atau docx.")] = (
        ComposeFormat.text
    ),
    output: Annotated[Path | None, typer.Option(help="Berkas keluaran (wajib untuk pdf/docx).")] = (
        None
    ),
    example: Annotated[bool, typer.Option(help="Cetak contoh isian JSON lalu keluar.")] = False,
) -> None:
    """Susun draf dari fakta terstruktur memakai templat, lalu periksa dengan linter."""
    from pantau.settings import get_settings
    from pantau.writing import Severity, lint
    from pantau.writing.composer import ComposeError, compose, example_fields
    from pantau.writing.export import EXPORTERS

    if example:
        try:
            sample = example_fields(kind)
        except ComposeError as exc:
            fail(str(exc))
        sys.stdout.write(json.dumps(sample, ensure_ascii=False, indent=2) + "\n")
        return
    if fields is None:
        fail("--fields wajib diisi (atau pakai --example untuk melihat contohnya).")
        return
    try:
        data = json.loads(read_text(fields))
    except json.JSONDecodeError as exc:
        fail(f"{fields}: JSON tidak valid (baris {exc.lineno}, kolom {exc.colno}): {exc.msg}.")
    if not isinstance(data, dict):
        fail(f"{fields}: isian harus berupa objek JSON.")
    settings = get_settings()
    try:
        draft = compose(
            kind, data, templates_dir=settings.writing_templates_dir, timezone=settings.timezone
        )
    except ComposeError as exc:
        fail(str(exc))
    payload = EXPORTERS[format.value](draft)
    if output is not None:
        output.write_bytes(payload)
        err.print(f"Draf {kind} ditulis ke {output}.")
    elif format in (ComposeFormat.pdf, ComposeFormat.docx):
        fail(f"Format {format.value} perlu --output BERKAS.")
    else:
        sys.stdout.write(payload.decode("utf-8"))
    findings = lint(
        draft.text,
        kind=kind,
        timezone=settings.timezone,
        extra_words=_extra_words(settings.writing_extra_words),
    )
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    err.print(f"Pemeriksaan draf: {len(findings)} temuan, {errors} galat.")
