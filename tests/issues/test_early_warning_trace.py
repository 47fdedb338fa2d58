"""The early-warning benchmark's trace: each on-topic post, its issue's numbers, the alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from benchmarks.issues_early_warning import trace


def test_trace_shows_each_on_topic_post_and_the_alert_with_its_votes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    t0 = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
    rows = [
        {
            "id": str(i),
            "published_at": (t0 + timedelta(minutes=i)).isoformat(),
            "text": f"Banjir setinggi lutut rendam perumahan warga Samarinda {i}"
            + (" https://t.co/b" if i == 0 else ""),
            "event": "banjir",
        }
        for i in range(6)
    ]
    rows.insert(2, {"id": "x", "published_at": rows[1]["published_at"], "text": "selamat pagi"})
    trace(rows, "banjir", posts=5)
    lines = capsys.readouterr().out.splitlines()
    posts = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert [p.split(" | ")[0] for p in posts] == ["| 1", "| 2", "| 3", "| 4", "| 5"]
    assert all(" | isu-" in p for p in posts)
    # its one linked post, and the stream's share of linked posts (the greeting among them)
    shares = ["1 (100%)", "1 (50%)", "1 (25%)", "1 (20%)", "1 (17%)"]
    assert [p.split(" | ")[8] for p in posts] == shares
    alerts = [line for line in lines if line.startswith("alert ")]
    assert alerts and "'banjir': " in alerts[0]
