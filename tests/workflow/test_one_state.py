"""One workflow state: after an escalation every surface says crisis, and the data keeps it.

The issue is made by the real pipeline from real mentions; the escalation goes through the JSON
API; then the issue page header, the issue list, the overview counter, the daily report and the
API must all say crisis, more mentions must not bring the detector's stage back, and closing
the issue ends the escalation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pantau.flow import Pipeline
from pantau.store import Issue, Mention, Source
from tests.alerts.support import agency_id, make_env
from tests.workflow.test_workflow import Actor

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
FLOOD = "banjir setinggi lutut di sempaja samarinda, warga mengungsi ke masjid {i}"


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = make_env(tmp_path, seeded_db_file)
    yield e
    e.db.dispose()


def _add_mentions(env, start: int, n: int) -> None:  # type: ignore[no-untyped-def]
    with env.db.writer() as s:
        src = s.scalar(select(Source).where(Source.name == "uji"))
        if src is None:
            src = Source(name="uji", kind="mapping", channel="social")
            s.add(src)
            s.flush()
        for i in range(start, start + n):
            s.add(
                Mention(
                    source_id=src.id,
                    external_id=f"m{i}",
                    text=FLOOD.format(i=i),
                    channel="social",
                    author=f"warga{i}",
                    published_at=T0 + timedelta(minutes=2 * i),
                )
            )
    Pipeline(env.db, env.settings).run_pending()


def _stage_badge(html: str) -> list[str]:
    return re.findall(r'class="badge stage-(\w+)"', html)


def test_escalation_is_crisis_everywhere_and_survives_new_data(env) -> None:  # type: ignore[no-untyped-def]
    _add_mentions(env, 0, 12)
    with env.db.session() as s:
        issue = s.scalars(select(Issue).order_by(Issue.size.desc())).first()
        assert issue is not None and issue.stage != "crisis" and issue.status == "baru"
        issue_id, detected = issue.id, issue.stage
    samarinda = agency_id(env, "Diskominfo Samarinda")
    koord, rina = Actor(env, "koord"), Actor(env, "rina")
    koord.post(f"/issues/{issue_id}/assign", {"agency_id": samarinda})
    assert rina.get(f"/issues/{issue_id}")["status"] == "ditelaah"  # assigning is triage
    rina.post(f"/issues/{issue_id}/claim")
    assert rina.get(f"/issues/{issue_id}")["status"] == "ditangani"  # claiming is handling
    rina.post(f"/issues/{issue_id}/escalate", {"reason": "video banjir viral, warga marah"})

    def says_crisis() -> None:
        api = rina.get(f"/issues/{issue_id}")
        assert api["stage"] == "crisis"
        page = rina.client.get(f"/issues/{issue_id}").text
        assert _stage_badge(page)[0] == "crisis" and ">krisis<" in page
        listing = rina.client.get("/issues").text
        row = listing[listing.index(f'href="/issues/{issue_id}"') :][:2000]
        assert _stage_badge(row)[0] == "crisis"
        live = rina.client.get("/dash/live").text
        assert re.search(r'class="kpi alert"[^>]*><b>1</b><span>Krisis</span>', live), live
        day = (T0 + timedelta(hours=8)).astimezone().date().isoformat()
        report = rina.client.get(f"/reports/daily.html?date={day}").text
        assert "krisis" in report and "mencuat" not in report

    says_crisis()
    _add_mentions(env, 12, 10)  # the detector goes on computing its own stage underneath
    says_crisis()
    with env.db.session() as s:
        issue = s.get(Issue, issue_id)
        assert issue.detected_stage in {"potential", "emerging", "current", "dormant"}
        detected = issue.detected_stage
    rina.post(
        f"/issues/{issue_id}/status",
        {"status": "selesai", "lessons": "Posko pengungsian dibuka dalam satu jam; info rutin."},
    )
    after = rina.get(f"/issues/{issue_id}")
    assert after["stage"] == detected and after["status"] == "selesai"
