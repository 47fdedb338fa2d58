"""The learning queries on both stores (SQLite, then PostgreSQL): similar cases read the first
mentions through a window function, the ledger the first alert through a grouped subquery,
playbook versions the newest per category, and outcomes the mentions either side of a statement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pantau.store.db import Database
from pantau.store.models import Alert, Issue, Mention, Source
from pantau.store.playbook_models import PlaybookVersion
from pantau.store.workflow_models import IssueAction
from pantau.workflow.cases import similar_cases
from pantau.workflow.ledger import issue_times
from pantau.workflow.library import CaseQuery, search_cases
from pantau.workflow.outcome import Window, outcomes
from pantau.workflow.playbook_versions import current_playbooks, current_text

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def test_learning_queries_on_both_stores(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    with db.writer() as s:
        source = Source(name="Portal", kind="rss", channel="news")
        s.add(source)
        old = Issue(label="Genangan di Sempaja", status="selesai", key_phrases=[], regions=[])
        new = Issue(label="Air naik lagi di Sempaja", key_phrases=[], regions=[])
        s.add_all([old, new])
        s.flush()
        for n in range(25):  # more than a profile reads: the window keeps the first 20
            for issue in (old, new):
                s.add(
                    Mention(source_id=source.id, external_id=f"{issue.id}-{n}", channel="news",
                            text="banjir rendam rumah warga " * 30, issue_id=issue.id,
                            published_at=T0 + timedelta(minutes=n))
                )  # fmt: skip
        s.add(IssueAction(issue_id=old.id, step="evaluasi", kind="pelajaran", note="Posko cepat.",
                          at=T0))  # fmt: skip
        s.add(IssueAction(issue_id=old.id, step="aksi", kind="klarifikasi",
                          at=T0 + timedelta(minutes=10, seconds=30)))  # fmt: skip
        s.add(Alert(issue_id=new.id, kind="stage", raised_at=T0))
        s.add(Alert(issue_id=new.id, kind="risk", raised_at=T0 + timedelta(hours=2)))
        s.add(
            IssueAction(
                issue_id=new.id, step="aksi", kind="holding_statement", at=T0 + timedelta(hours=1)
            )
        )
        text = current_text(s, "banjir").replace('advice: "', 'advice: "Versi 2. ', 1)
        for number, body in ((1, current_text(s, "banjir")), (2, text)):
            s.add(PlaybookVersion(key="banjir", number=number, text=body, author="koord"))
        old_id, new_id = old.id, new.id
    with db.session() as s:
        (case,) = similar_cases(s, new_id)
        assert case.issue_id == old_id and case.reason.startswith("sama-sama banjir")
        ended = outcomes(s, [old_id, new_id])[old_id]  # grouped by a boolean on both stores
        assert (ended.before, ended.after) == (Window(11, 0.0), Window(14, 0.0))
        (times,) = issue_times(s, T0, T0 + timedelta(days=1))
        assert times.issue_id == new_id and times.first_statement_at is not None
        assert (times.first_statement_at - times.alerted_at) == timedelta(hours=1)
        assert [c.id for c in search_cases(s, CaseQuery(q="sempaja"))] == [old_id]
        assert current_playbooks(s)["banjir"].advice.startswith("Versi 2.")
    db.dispose()
