"""``pantau replay`` in-process: the DESIGN.md contract on files, bad lines named, order kept."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.issues.generator import generate_stream

_load()  # every command, as the console script registers them


def _write_stream(path: Path) -> list[dict]:
    rows = generate_stream(seed=9, hours=12, background_per_hour=40)
    lines = [json.dumps({k: v for k, v in r.items() if k != "truth"}) for r in rows]
    lines.insert(3, "{not json")
    lines.insert(7, json.dumps({"id": "kosong", "text": "  "}))
    lines.insert(9, "")
    noise = {"id": "iklan", "text": "promo diskon kopi susu", "noise": "iklan"}
    lines.insert(11, json.dumps({**noise, "published_at": rows[9]["published_at"]}))
    # a raw line (no "noise" field) that is a check-in app's template: noise in any language
    checkin = {"id": "checkin", "text": "I'm at Big Mall Samarinda (Samarinda) http://t.co/x1"}
    lines.insert(13, json.dumps({**checkin, "published_at": rows[10]["published_at"]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows


def test_replay_writes_assignments_and_alerts(tmp_path: Path) -> None:
    stream = tmp_path / "stream.jsonl"
    rows = _write_stream(stream)
    out, alerts = tmp_path / "assign.jsonl", tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(
        app, ["replay", str(stream), "--assignments", str(out), "--alerts", str(alerts)]
    )
    assert result.exit_code == 0, result.output
    assert "2 baris galat" in " ".join(result.output.split())
    records = [json.loads(line) for line in out.read_text().splitlines()]
    errors = [r for r in records if "error" in r]
    assert [e["line"] for e in errors] == [4, 8]
    assert "JSON tidak valid" in errors[0]["error"] and "text" in errors[1]["error"]
    good = [r for r in records if "error" not in r]
    assert [r["id"] for r in good if r["id"] not in {"iklan", "checkin"}] == [r["id"] for r in rows]
    for name in ("iklan", "checkin"):
        [flagged] = [r for r in good if r["id"] == name]
        assert flagged == {"id": name, "issue": None, "first_issue": None}  # noise: no issue
        good.remove(flagged)
    assert all(r["issue"].startswith("isu-") and r["first_issue"] for r in good)
    raised = [json.loads(line) for line in alerts.read_text().splitlines()]
    assert raised, "the planted flood must raise alerts"
    for alert in raised:
        assert {"issue", "raised_at", "stage", "risk", "reasons", "first_seen", "size"} <= set(
            alert
        )
        assert alert["reasons"] and all("component" in r for r in alert["reasons"])
    assert {a["kind"] for a in raised} == {"stage", "crossover"}
    assert [a["raised_at"] for a in raised] == sorted(a["raised_at"] for a in raised)


def test_replay_is_deterministic_and_reads_stdin(tmp_path: Path) -> None:
    stream = tmp_path / "stream.jsonl"
    _write_stream(stream)
    first = CliRunner().invoke(app, ["replay", str(stream)])
    second = CliRunner().invoke(app, ["replay", "-"], input=stream.read_text())
    assert first.exit_code == 0 and second.exit_code == 0
    lines = [line for line in first.stdout.splitlines() if line.startswith("{")]
    assert lines == [line for line in second.stdout.splitlines() if line.startswith("{")]


def test_missing_stream_is_an_actionable_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["replay", str(tmp_path / "tidak-ada.jsonl")])
    assert result.exit_code == 2
    assert "tidak dapat dibuka" in result.output


def test_a_far_future_date_is_an_error_line_and_never_moves_the_clock(tmp_path: Path) -> None:
    stream = tmp_path / "stream.jsonl"
    rows = _write_stream(stream)
    far = {"id": "y2999", "text": "banjir", "published_at": "2999-01-01T00:00:00Z"}
    lines = stream.read_text().splitlines()
    lines.insert(20, json.dumps(far))
    stream.write_text("\n".join(lines) + "\n", encoding="utf-8")
    alerts = tmp_path / "alerts.jsonl"
    result = CliRunner().invoke(app, ["replay", str(stream), "--alerts", str(alerts)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    [error] = [r for r in records if r.get("line") == 21]
    assert "published_at" in error["error"] and "2999" in error["error"]
    raised = [_time(json.loads(line)["raised_at"]) for line in alerts.read_text().splitlines()]
    assert raised and max(raised) <= max(_time(r["published_at"]) for r in rows)


def _time(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))
