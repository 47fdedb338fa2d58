"""Claims race on both stores: many people claim one issue at the same moment from separate
connections (as separate web workers would); exactly one holds it, the others are told who."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from pantau.store import Agency, AuditEntry, Database, Issue, User
from pantau.store.workflow_models import IssueClaim
from pantau.workflow import ClaimConflict, claim
from pantau.workflow.users import principal_of

PEOPLE = 4


def test_simultaneous_claims_one_winner(store_url: str) -> None:
    db = Database(store_url)
    db.upgrade()
    with db.writer() as s:
        agency = Agency(name="Diskominfo Uji", short_name="Uji", level="kota")
        s.add(agency)
        s.flush()
        users = [
            User(
                username=f"analis{n}",
                full_name=f"Analis {n}",
                password_hash="-",
                role="analis",
                agency_id=agency.id,
            )
            for n in range(PEOPLE)
        ]
        s.add_all(users)
        issue = Issue(label="Isu rebutan", agency_id=agency.id)
        s.add(issue)
        s.flush()
        principals = [principal_of(u) for u in users]
        issue_id = issue.id
    barrier = threading.Barrier(PEOPLE)
    outcome: dict[str, str] = {}

    def attempt(n: int) -> None:
        own = Database(store_url)  # its own engine and lock: another worker process
        barrier.wait()
        try:
            with own.writer() as s:
                claim(s, principals[n], issue_id)
            outcome[principals[n].username] = "menang"
        except ClaimConflict as exc:
            outcome[principals[n].username] = exc.holder
        finally:
            own.dispose()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(PEOPLE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [u for u, r in outcome.items() if r == "menang"]
    assert len(outcome) == PEOPLE and len(winners) == 1, outcome
    winner_name = "Analis " + winners[0].removeprefix("analis")
    assert all(r == winner_name for u, r in outcome.items() if u not in winners), outcome
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IssueClaim)) == 1
        assert s.scalar(select(func.count()).where(AuditEntry.action == "issue.claim")) == 1
    db.dispose()
