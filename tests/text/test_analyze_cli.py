"""``pantau analyze`` end to end in a real process: the DESIGN.md contract, error lines,
a 10 MB text, watchlist files, and streaming (output before the input ends)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.text.test_analyzer import FIELDS

PANTAU = [sys.executable, "-c", "from pantau.cli import main; main()"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTAU_")}
    env.update(extra)
    return env


def _run(args: list[str], stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*PANTAU, "analyze", *args],
        input=stdin,
        capture_output=True,
        env=_env(**env),
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_contract_one_output_line_per_input_line_in_order(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Banjir di Samarinda, gak ada bantuan", "author": "x"}),
        "{not json",
        json.dumps({"id": "b"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "c", "text": "Banjir di Samarinda, gak ada bantuan!!!"}),
        json.dumps({"id": {"nested": 1}, "text": "x"}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe\n")
    dst = tmp_path / "out.jsonl"
    proc = _run(["--input", str(src), "--output", str(dst)], PANTAU_ANALYZE_BATCH_SIZE="3")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in dst.read_text("utf-8").splitlines()]
    assert len(out) == 8
    assert set(out[0]) == FIELDS and out[0]["id"] == "a"
    assert out[0]["regions"] == [{"code": "64.72", "name": "Kota Samarinda"}]
    assert out[5]["id"] == "c" and out[5]["dup_of"] == "a"
    errors = {o["line"]: o["error"] for o in out if "error" in o}
    assert sorted(errors) == [2, 3, 4, 5, 7, 8]
    assert errors[3] == "kolom 'text' wajib ada dan berupa teks"
    assert errors[4] == "baris kosong"
    assert "UTF-8" in errors[8]
    assert "8 baris dianalisis, 6 baris galat" in proc.stderr.decode()


def test_hostile_lines_get_error_lines_and_the_stream_goes_on() -> None:
    """A 5,000-digit number or a 100,000-deep nesting used to end the run with a traceback."""
    stdin = "\n".join([
        '{"id": "a", "text": "banjir", "n": ' + "9" * 5000 + "}",
        '{"id": "b", "text": "x", "d": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({"id": "c", "text": "jalan rusak parah di Samarinda"}),
    ]).encode()  # fmt: skip
    proc = _run([], stdin)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert out[0] == {"line": 1, "error": "angka terlalu panjang (lebih dari 4.300 digit)"}
    assert out[1] == {"line": 2, "error": "JSON bersarang terlalu dalam"}
    assert out[2]["id"] == "c" and out[2]["regions"][0]["code"] == "64.72"


@pytest.mark.slow
def test_stdin_to_stdout_and_ten_megabyte_text() -> None:
    big = json.dumps({"id": "big", "text": "banjir di samarinda " * 550_000})
    assert len(big) > 10_000_000
    stdin = (big + "\n" + json.dumps({"id": "small", "text": "aman"}) + "\n").encode()
    proc = _run([], stdin)
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(x) for x in proc.stdout.decode().splitlines())
    assert first["id"] == "big"
    assert first["notes"] == ["teks dipotong pada 100000 karakter (asli 11000000 karakter)"]
    assert second["id"] == "small"


@pytest.mark.slow
def test_watchlist_files(tmp_path: Path) -> None:
    lines_file = tmp_path / "watch.txt"
    lines_file.write_text("# kata kunci Dinkes\nracun: keracun* OR basi\n", "utf-8")
    json_file = tmp_path / "watch.json"
    json_file.write_text(json.dumps({"mbg": '"makan bergizi gratis" OR mbg'}), "utf-8")
    stdin = json.dumps({"id": "1", "text": "Menu MBG basi, siswa keracunan"}).encode() + b"\n"
    for path, expected in (
        (lines_file, [{"name": "racun", "terms": ["keracun*", "basi"]}]),
        (json_file, [{"name": "mbg", "terms": ["mbg"]}]),
    ):
        proc = _run(["--watchlist", str(path)], stdin)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["watch"] == expected


@pytest.mark.slow
def test_watchlist_syntax_error_names_list_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("jalan: jalan AND (rusak OR\n", "utf-8")
    proc = _run(["--watchlist", str(bad)], b"")
    assert proc.returncode == 2
    message = " ".join(proc.stderr.decode().split())
    assert "kata kunci 'jalan'" in message and "kolom 20" in message


@pytest.mark.slow
def test_output_is_streamed_batch_by_batch() -> None:
    """The first batch's lines come out while the input is still open."""
    proc = subprocess.Popen(
        [*PANTAU, "analyze"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_env(PANTAU_ANALYZE_BATCH_SIZE="2"),
    )
    assert proc.stdin is not None and proc.stdout is not None
    got: list[bytes] = []

    def read_two() -> None:
        got.append(proc.stdout.readline())  # type: ignore[union-attr]
        got.append(proc.stdout.readline())  # type: ignore[union-attr]

    try:
        for i in range(2):
            proc.stdin.write(json.dumps({"id": str(i), "text": "jalan rusak"}).encode() + b"\n")
        proc.stdin.flush()
        reader = threading.Thread(target=read_two, daemon=True)
        reader.start()
        reader.join(timeout=90)
        assert [json.loads(x)["id"] for x in got] == ["0", "1"]
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
        proc.stdout.close()


@pytest.mark.slow
def test_missing_input_file_is_an_actionable_error(tmp_path: Path) -> None:
    proc = _run(["--input", str(tmp_path / "tidak-ada.jsonl")])
    assert proc.returncode == 2
    assert "berkas tidak dapat dibuka" in " ".join(proc.stderr.decode().split())
