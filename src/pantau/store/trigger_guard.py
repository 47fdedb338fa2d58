"""PostgreSQL: a pre-aggregate's statement trigger that returns at once when nothing it counts
changed.

A statement trigger with transition tables cannot name columns (``AFTER UPDATE OF`` is refused
with ``REFERENCING``), so the pre-aggregates' functions (hourly rollup and day segments,
analysis segments, watchlist rollups) run on every ``UPDATE`` of ``mentions``: clearing
``cluster_pending`` after clustering, the precise tier's new sentiment score, notes, the analysis
time. Each expanded every old and new row into its keys, took the rollups' transaction lock and
wrote nothing, as the old and new rows' counts cancel out.

The delta a function writes depends only on the multiset of the counted columns' values in the
old and in the new rows, so when the two multisets are equal there is nothing to write and the
function may return before its lock. An UPDATE has as many new rows as old ones, so one
``EXCEPT ALL`` that is empty proves it. Values are compared as text: a JSON column has no
equality, and a value rewritten in another spelling only costs the full path, never a count.
"""

from __future__ import annotations

import re

__all__ = ["guarded", "unchanged_guard"]

_BODY_START = re.compile(r"(AS \$\$\s*BEGIN\b)")


def unchanged_guard(counted: str) -> str:
    """PL/pgSQL that returns from an UPDATE trigger when the counted columns (``"a, b, c"``)
    hold the same values, row for row up to order, in ``old_rows`` and ``new_rows``.

    >>> print(unchanged_guard("channel, regions"))  # doctest: +NORMALIZE_WHITESPACE
    IF TG_OP = 'UPDATE' THEN
        IF NOT EXISTS (
            SELECT channel::text, regions::text FROM old_rows
            EXCEPT ALL SELECT channel::text, regions::text FROM new_rows) THEN
            RETURN NULL;
        END IF;
    END IF;
    """
    # Nested: an INSERT or DELETE trigger has no old_rows or new_rows to plan a query on.
    columns = ", ".join(f"{c.strip()}::text" for c in counted.split(","))
    return (
        "IF TG_OP = 'UPDATE' THEN\n"
        "    IF NOT EXISTS (\n"
        f"        SELECT {columns} FROM old_rows\n"
        f"        EXCEPT ALL SELECT {columns} FROM new_rows) THEN\n"
        "        RETURN NULL;\n"
        "    END IF;\n"
        "END IF;"
    )


def guarded(function: str, counted: str) -> str:
    """``function`` (a ``CREATE ... FUNCTION ... AS $$ BEGIN ...`` statement) with
    :func:`unchanged_guard` as the first thing its body does; nothing else changes."""
    result, found = _BODY_START.subn(
        lambda m: f"{m.group(1)}\n{unchanged_guard(counted)}", function, count=1
    )
    if not found:
        raise ValueError("no 'AS $$ BEGIN' in the function: the guard has no place to go")
    return result
