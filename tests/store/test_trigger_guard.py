"""PostgreSQL: an UPDATE of mentions that changes no counted column leaves the pre-aggregates'
statement triggers nothing to do: they return before the rollups' lock, and every aggregate
still equals a recount after writes that do count."""

from __future__ import annotations

import pytest
from sqlalchemy import text, update
from tests.store.test_rollup_statement import _recount, _rollup, fill

from pantau.store import Database, Mention
from pantau.store import partitions as parts
from pantau.store.trigger_guard import guarded

pytestmark = pytest.mark.postgres

#: The rollups' transaction lock, read from the migration that defines it.
ROLLUP_LOCK = parts.rollup_lock()


@pytest.fixture
def db(pg_db: Database) -> Database:
    return pg_db


def _locked_by_update(db: Database, values: dict[str, object]) -> bool:
    """Whether an UPDATE of ``values`` on every mention takes the rollups' lock (seen from a
    second session while the first holds its transaction open)."""
    with db.engine.connect() as writer, db.engine.connect() as watcher:
        writer.execute(update(Mention).values(**values))
        held = watcher.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND objid = :lock AND granted"
            ),
            {"lock": ROLLUP_LOCK},
        )
        writer.rollback()
    return bool(held)


def test_an_update_of_no_counted_column_returns_before_the_rollup_lock(db: Database) -> None:
    fill(db, 60)
    assert not _locked_by_update(db, {"cluster_pending": True, "notes": ["dibaca ulang"]})
    assert _locked_by_update(db, {"sentiment": "positive"})  # a counted column: counted


def test_the_aggregates_equal_a_recount_after_counted_and_uncounted_updates(
    db: Database,
) -> None:
    fill(db, 90)
    with db.writer() as s:
        s.execute(update(Mention).values(cluster_pending=True, analyzed_at=None))
        s.execute(update(Mention).where(Mention.id % 2 == 0).values(sentiment="positive"))
        # the same values written again, in another row order: counted as no change
        s.execute(text("UPDATE mentions SET regions = regions, watch = watch"))
        s.execute(update(Mention).where(Mention.id % 3 == 0).values(issue_id=None))
    assert _rollup(db) == _recount(db) and _rollup(db)


def test_the_guard_goes_first_in_the_body_and_nowhere_else() -> None:
    body = "CREATE FUNCTION f() RETURNS trigger AS $$\n    BEGIN\n        RETURN NULL;\n    END $$"
    out = guarded(body, "channel, regions")
    assert out.index("IF TG_OP = 'UPDATE'") < out.index("RETURN NULL;\n    END $$")
    guard = out[out.index("\nIF TG_OP") : out.rindex("END IF;") + len("END IF;")]
    assert out.replace(guard, "") == body
    with pytest.raises(ValueError, match="no 'AS"):
        guarded("CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql", "channel")
