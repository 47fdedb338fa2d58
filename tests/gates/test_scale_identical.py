"""``pantau analyze --workers 2`` on real tweet streams writes the same bytes as the
single-process run (eval-only corpora: read here, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.scale.test_analyze_identical import analyze


def _mbg_stream(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for number, row in enumerate(rows, 1):
            record = {"id": f"mbg{number}", "text": row["reply_text"], "published_at": None}
            if row.get("created_at"):
                record["published_at"] = row["created_at"]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.mark.slow
def test_crisis_tweets_identical_on_two_workers(corpora: Path, tmp_path: Path) -> None:
    stream = corpora / "events" / "crisislext6" / "stream.jsonl"
    single, workers = tmp_path / "single.jsonl", tmp_path / "workers.jsonl"
    analyze(stream, single, batch=None)
    analyze(stream, workers, "--workers", "2", batch=None, seed="7")
    assert workers.read_bytes() == single.read_bytes()
    assert sum(1 for _ in single.open("rb")) == 60_082


@pytest.mark.slow
def test_mbg_replies_identical_on_two_workers(
    mbg_tweets: list[dict[str, str]], tmp_path: Path
) -> None:
    stream = _mbg_stream(mbg_tweets, tmp_path / "mbg.jsonl")
    single, workers = tmp_path / "single.jsonl", tmp_path / "workers.jsonl"
    analyze(stream, single, batch=None)
    analyze(stream, workers, "--workers", "2", batch=None, seed="7")
    assert workers.read_bytes() == single.read_bytes()
    out = [json.loads(line) for line in single.read_text("utf-8").splitlines()]
    assert len(out) == len(mbg_tweets) and sum(bool(o.get("dup_of")) for o in out) > 100
