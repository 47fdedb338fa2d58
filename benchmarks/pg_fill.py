"""Fill PostgreSQL with the dashboard benchmark's mentions on the server: 10M in minutes, not hours.

The Python generator of ``reports_dashboard.py`` streams rows through ``COPY`` at about 1,400
mentions/s on this 2-core box (2M in 1,428 s), so 10M would take over an hour and a half. Here
the server draws the same distributions itself, ``INSERT ... SELECT`` over ``generate_series``,
in chunks of ``CHUNK`` rows, each its own transaction:

1. every month the mentions fall in gets its partition first (``reports_dashboard``);
2. the secondary indexes of ``mentions`` are dropped and the user triggers disabled, as a
   ``pg_restore`` does; the primary key stays;
3. the chunks go in: channel, issue (70 % of mentions, Zipf over issues by ``cum``), a text of
   8-30 words drawn from the same Zipf vocabulary, place, sentiment, language, noise, author,
   outlet and the watchlist hit, each with the shares of the Python generator;
4. the indexes are made again from their saved definitions, the rollup is counted by the
   migration's own backfill and ``mention_keys`` is filled in one pass each; the triggers
   come back on.

The result is the store the triggers would have built row by row. The random draws differ
from Python's (``setseed`` per chunk keeps a run reproducible), the distributions do not:
:func:`check_vocabulary` proves the SQL word lookup equals ``VOCABULARY`` before anything is
written.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

#: Rows a transaction: large enough that per-statement costs vanish, small enough that a chunk
#: shows progress every minute or so on the shared box.
CHUNK = 500_000


def word_sql(index: str, topics: Sequence[str], first: int, step: int) -> str:
    """SQL for ``VOCABULARY[index]`` by arithmetic.

    ``VOCABULARY`` is ``kata1..kata5000`` with topic word ``j`` inserted at ``first + step*j``;
    indexing a ``text[]`` of 5,048 words would walk the array element by element on every draw.
    """
    last = first + step * (len(topics) - 1)
    before = (
        f"CASE WHEN {index} < {first} THEN 0 "
        f"ELSE least({len(topics)}, ({index} - {first}) / {step} + 1) END"
    )
    topic_array = "ARRAY[" + ", ".join(f"'{t}'" for t in topics) + "]"
    return (
        f"CASE WHEN {index} BETWEEN {first} AND {last} AND mod({index} - {first}, {step}) = 0 "
        f"THEN ({topic_array})[({index} - {first}) / {step} + 1] "
        f"ELSE 'kata' || ({index} + 1 - {before}) END"
    )


def _pick(values: Sequence[str | None]) -> str:
    """SQL drawing one of ``values`` uniformly (repeats give the shares)."""
    items = ", ".join("NULL" if v is None else f"'{v}'" for v in values)
    return f"(ARRAY[{items}]::text[])[1 + floor(random() * {len(values)})::int]"


def insert_sql(g: Any, word: str) -> str:
    """The chunk's ``INSERT ... SELECT``; ``g`` is the generator module (its constants)."""
    channel = _pick(g.CHANNELS)
    regions = "json_build_array(" + _pick(g.REGIONS) + ")"
    watch = g.WATCHWORD.capitalize()
    return f"""
    INSERT INTO mentions (source_id, external_id, channel, title, text, author, outlet,
        published_at, fetched_at, sentiment, regions, watch, extra, notes, likes, shares,
        comments, views, coordinated, issue_id, lang, noise)
    SELECT CASE r.ch WHEN 'news' THEN 1 WHEN 'social' THEN 2 ELSE 3 END, 'b' || r.n, r.ch,
        CASE WHEN r.ch = 'news' THEN left(r.body, 60) END, r.body,
        'akun' || (1 + floor(random() * 50000))::int,
        CASE WHEN r.ch = 'news' THEN 'media' || (1 + floor(random() * 40))::int END,
        %(end)s::timestamp - random() * %(span)s * interval '1 second', %(end)s::timestamp,
        {_pick(g.SENTIMENTS)}, {regions},
        CASE WHEN ' ' || r.body || ' ' LIKE '%% {g.WATCHWORD} %%'
             THEN '["{watch}"]'::json ELSE '[]'::json END,
        '{{}}'::json, '[]'::json, floor(random() * 201)::int, 0, 0, 0, false, r.issue,
        {_pick(g.LANGS)}, {_pick(g.NOISE)}
    FROM (
        SELECT n, {channel} AS ch,
            CASE WHEN random() < 0.7
                 THEN width_bucket(random() * %(issue_total)s, %(issue_cum)s::float8[]) + 1
            END AS issue,
            (SELECT string_agg({word}, ' ')
             FROM (SELECT width_bucket(random() * %(word_total)s, %(word_cum)s::float8[]) AS i
                   FROM generate_series(n, n + 7 + floor(random() * 23)::bigint)) AS w) AS body
        FROM generate_series(%(start)s::bigint, %(stop)s::bigint - 1) AS n
    ) AS r"""


def check_vocabulary(cur: Any, vocabulary: Sequence[str], word: str) -> None:
    """Raise unless the SQL word lookup gives ``vocabulary`` exactly, index by index."""
    cur.execute(
        f"SELECT array_agg({word} ORDER BY i) FROM generate_series(0, %(n)s - 1) AS i",
        {"n": len(vocabulary)},
    )
    got = cur.fetchone()[0]
    if list(got) != list(vocabulary):
        bad = next(k for k, (a, b) in enumerate(zip(got, vocabulary, strict=True)) if a != b)
        raise RuntimeError(
            f"SQL vocabulary differs at index {bad}: {got[bad]!r} != {vocabulary[bad]!r}"
        )


def _secondary_indexes(cur: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX) of ``table``'s indexes that no constraint owns."""
    cur.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        (table,),
    )
    # a partitioned table's index reads "ON ONLY mentions": made again, it must reach every
    # partition
    return [(name, sql.replace(" ON ONLY ", " ON ")) for name, sql in cur.fetchall()]


def fill_mentions(
    raw: Any,
    g: Any,
    mentions: int,
    issue_cum: list[float],
    backfill: list[str],
    end: datetime,
    days: int,
    progress: Callable[[int, float], None],
    seed: int = 7,
) -> None:
    """Steps 2-4 of the module docstring on an open DBAPI connection (partitions exist)."""
    cur = raw.cursor()
    word = word_sql("i", g.TOPIC_WORDS, 30, 5)
    check_vocabulary(cur, g.VOCABULARY, word)
    cur.execute("SET work_mem = '256MB'")  # the rollup's GROUP BY sorts in memory, this session
    indexes = _secondary_indexes(cur, "mentions") + _secondary_indexes(cur, "mention_rollup")
    for name, _sql in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute("ALTER TABLE mentions DISABLE TRIGGER USER")
    raw.commit()
    sql = insert_sql(g, word)
    params = {
        "end": end.replace(tzinfo=None),
        "span": days * 86400,
        "issue_total": issue_cum[-1],
        "issue_cum": issue_cum,
        "word_total": g.ZIPF_CUM[-1],
        "word_cum": g.ZIPF_CUM,
    }
    t0 = time.perf_counter()
    for start in range(0, mentions, CHUNK):
        stop = min(mentions, start + CHUNK)
        cur.execute("SELECT setseed(%s)", ((seed * 1_000_003 + start) % 2**31 / 2**31,))
        cur.execute(sql, {**params, "start": start, "stop": stop})
        raw.commit()
        progress(stop, t0)
    step = time.perf_counter()
    for statement in backfill:
        cur.execute(statement)
    # what the key trigger would have claimed, row by row (pantau.store.partitions)
    cur.execute(
        "INSERT INTO mention_keys (source_id, external_id, mention_id) "
        "SELECT source_id, external_id, id FROM mentions"
    )
    raw.commit()
    print(f"  rollup and keys: {time.perf_counter() - step:.0f} s", file=sys.stderr, flush=True)
    for name, create in indexes:
        step = time.perf_counter()
        cur.execute(create)
        raw.commit()
        print(f"  index {name}: {time.perf_counter() - step:.0f} s", file=sys.stderr, flush=True)
    cur.execute("ALTER TABLE mentions ENABLE TRIGGER USER")
    raw.commit()
