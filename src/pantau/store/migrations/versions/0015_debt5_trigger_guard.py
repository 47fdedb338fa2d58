"""PostgreSQL: the pre-aggregates' statement triggers return at once on an UPDATE of mentions
that changed none of the columns they count.

Every UPDATE of ``mentions`` fired the three statement functions (hourly rollup and day
segments, analysis segments, watchlist rollups), which expanded all old and new rows into their
keys and took the rollups' lock, to write nothing when no counted column had changed (clearing
``cluster_pending``, notes, the analysis time). Each function is replaced by itself with
:func:`pantau.store.trigger_guard.unchanged_guard` as its first statement, over the counted
columns its own migration names; nothing else in the functions changes, and the triggers that
call them stay. Measured in ``benchmarks/pg_update_triggers.py``. SQLite's row triggers already
fire only ``AFTER UPDATE OF`` their counted columns: nothing to do there.

Revision ID: 0015_debt5_trigger_guard
Revises: 0014_agg4_watch_rollup
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

from pantau.store.trigger_guard import guarded

revision = "0015_debt5_trigger_guard"
down_revision = "0014_agg4_watch_rollup"
branch_labels = None
depends_on = None

#: The migration that last defined each guarded function (its ``_PG_FUNCTION`` and
#: ``_COUNTED``), by the function's name.
FUNCTIONS = {
    "mention_rollup_statement": "0013_agg4_mention_segments",
    "mention_segments_statement": "0013_anal4_analysis_segments",
    "mention_watch_statement": "0014_agg4_watch_rollup",
}


def _defining(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    if spec is None or spec.loader is None:
        raise RuntimeError(f"migration {name} not found beside {Path(__file__).name}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def statements(*, guard: bool) -> list[str]:
    """The three functions as their migrations define them, each guarded when ``guard``."""
    out = []
    for function, name in FUNCTIONS.items():
        module = _defining(name)
        body = str(module._PG_FUNCTION)
        if f"FUNCTION {function}()" not in body:
            raise RuntimeError(f"{name} does not define {function}()")
        out.append(guarded(body, str(module._COUNTED)) if guard else body)
    return out


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in statements(guard=True):
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in statements(guard=False):
        op.execute(sql)
