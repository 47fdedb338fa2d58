"""A split the live tracker makes moves the stored mentions too, as ``pantau replay`` reports.

The first posts name a flood and the water utility's outage together, so the two stories grow as
one issue; when the tracker splits it, the outage's posts already stored (earlier rounds of the
pipeline) move to the new issue, the flood's stay, and the move is audited.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from tests.conftest import AppEnv
from tests.flow.test_second_look import T0, _fill
from tests.issues.test_splitting import pair_stream

from pantau.flow import Pipeline
from pantau.store import Issue, Mention
from pantau.store.models import AuditEntry


def test_a_split_moves_the_stored_mentions_of_the_new_part(app_env: AppEnv) -> None:
    rows = [
        (key, text, T0 + timedelta(minutes=5 * n))
        for n, (key, _s, text) in enumerate(pair_stream())
    ]
    story = {key: s for key, s, _ in pair_stream()}
    pipeline = Pipeline(app_env.db, app_env.settings)
    for start in range(0, len(rows), 8):  # rounds: most posts are stored before the split
        _fill(app_env, rows[start : start + 8])
        pipeline.run_pending()
    with app_env.db.session() as s:
        issue_of = dict(s.execute(select(Mention.external_id, Mention.issue_id)).all())
        flood = {issue_of[k] for k in issue_of if story[k] == "flood"}
        water = {issue_of[k] for k in issue_of if story[k] == "water"}
        assert len(flood) == 1 and len(water) == 1 and flood != water
        for part in (*flood, *water):  # both issues live, each holding its own mentions
            issue = s.get(Issue, part)
            assert issue is not None and issue.merged_into_id is None
            assert issue.size == sum(1 for k in issue_of if issue_of[k] == part)
        [event] = s.scalars(select(AuditEntry).where(AuditEntry.action == "issue.split")).all()
        assert event.after is not None and event.after["mentions"] > 0
        assert {int(event.object_id or 0), event.after["new_issue"]} == {*flood, *water}
