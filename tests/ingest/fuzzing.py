"""Generators for the import fuzzer: valid records, hostile ones, and files that mix them.

A :class:`Valid` record is one that must be stored: a unique id, readable text, a date inside
the sane window and a count the store can hold. Each format renders it in its own shape (a
tweet, a Graph API post, a LAPOR! row, ...) and mixes it with hostile records (wrong types,
infinite or huge counts, dates in year 9999, non-objects, deep nesting, broken lines, quotes
left open). The fuzz tests then check that every valid id is stored exactly once.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

_ids = itertools.count()
#: Valid dates lie well inside the window: from 2000-01-02 to a day before the tests started.
EARLIEST = datetime(2000, 1, 2)
LATEST = (datetime.now(UTC) - timedelta(days=1)).replace(tzinfo=None)

#: Values that broke imports before (counts, dates, ids), tried in every field.
TRIGGERS = [
    "1e999",
    "1e400",
    "NaN",
    "nan",
    "-1",
    "Infinity",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "2999-01-01T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "",
    " ",
    "\x00",
    "\ud800",
]


@dataclass
class Valid:
    """A record the import must store; ``id`` is stamped unique when the file is written."""

    text: str
    published: datetime
    likes: int
    id: str = ""


def fresh_id() -> str:
    """An id no other example uses (examples share one store, and URLs are global keys)."""
    return f"v{next(_ids)}"


texts = st.text(st.characters(codec="utf-8"), max_size=40).map(lambda t: "Isu " + t)
valid_records = st.builds(
    Valid,
    text=texts,
    published=st.datetimes(EARLIEST, LATEST, timezones=st.just(UTC)),
    likes=st.integers(0, 2**63 - 1),
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(2**63 - 2, 2**80)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(TRIGGERS)
)
wild = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)
#: Lines no JSON reader should choke on: deep nesting, 5,000-digit integers, fragments, noise.
raw_lines = st.one_of(
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.just("[" * 50_000),
    st.just('{"data": [' + "9" * 5000 + "]}"),
    st.sampled_from(["{", "}", "[", "NaN", "1e999", '"', "null", "[]", "{}", '{"data": 5}']),
    st.text(max_size=40).filter(lambda t: "\n" not in t and "\r" not in t),
)


def corrupt(record: dict[str, Any], data: st.DataObject) -> Any:
    """``record`` with some fields replaced by hostile values, or a hostile value instead."""
    rnd = order(data)
    if rnd.random() < 0.15:
        return data.draw(wild)
    bad = dict(record)
    bad["id" if "id" in bad else next(iter(bad))] = f"h{fresh_id()}"  # never a valid id
    for key in rnd.sample(sorted(record), rnd.randint(1, min(3, len(record)))):
        bad[key] = data.draw(wild)
    return bad


def order(data: st.DataObject) -> random.Random:
    """One drawn source of structural choices (positions, orders, how many): a single draw
    per choice of layout keeps generation cheap next to the values that matter."""
    return data.draw(st.randoms(use_true_random=False))


def mix(valid: list[Any], hostile: list[Any], data: st.DataObject) -> list[Any]:
    """The two lists interleaved in a drawn order."""
    mixed = [*valid, *hostile]
    order(data).shuffle(mixed)
    return mixed


# --- JSON formats: each renders a valid record and builds a page of items -------------------
def tweet(v: Valid) -> dict[str, Any]:
    return {
        "id": v.id,
        "text": v.text,
        "author_id": "42",
        "created_at": v.published.isoformat().replace("+00:00", "Z"),
        "public_metrics": {"like_count": v.likes, "retweet_count": 0},
    }


def x_page(items: list[Any], data: st.DataObject) -> Any:
    users = {"users": [{"id": "42", "username": "warga"}]}
    includes = users if order(data).random() < 0.5 else data.draw(wild)
    return {"data": items, "includes": includes}


def graph_post(v: Valid) -> dict[str, Any]:
    return {
        "id": v.id,
        "message": v.text,
        "created_time": v.published.isoformat(),
        "reactions": {"summary": {"total_count": v.likes}},
    }


def meta_page(items: list[Any], data: st.DataObject) -> Any:
    return {"data": items, "paging": data.draw(wild)}


def comment_thread(v: Valid) -> dict[str, Any]:
    snippet = {"textOriginal": v.text, "publishedAt": v.published.isoformat(), "likeCount": v.likes}
    return {"snippet": {"topLevelComment": {"id": v.id, "snippet": snippet}, "totalReplyCount": 0}}


def youtube_page(items: list[Any], data: st.DataObject) -> Any:
    return {"kind": "youtube#commentThreadListResponse", "items": items}


def tiktok_video(v: Valid) -> dict[str, Any]:
    return {
        "id": v.id,
        "video_description": v.text,
        "create_time": int(v.published.timestamp()),
        "like_count": v.likes,
    }


def tiktok_page(items: list[Any], data: st.DataObject) -> Any:
    return {"data": {"videos": items, "has_more": data.draw(wild)}, "error": {"code": "ok"}}


def crawler_item(v: Valid) -> dict[str, Any]:
    return {
        "id": v.id,
        "body": v.text,
        "when": v.published.isoformat(),
        "stats": {"likes": v.likes},
    }


@dataclass(frozen=True)
class JsonFormat:
    """A JSON export format: how one valid record looks and how items make a page."""

    fmt: str
    item: Callable[[Valid], dict[str, Any]]
    page: Callable[[list[Any], st.DataObject], Any] | None  # None: one record per line


JSON_FORMATS = {
    "x-v2": JsonFormat("x-v2", tweet, x_page),
    "meta": JsonFormat("meta", graph_post, meta_page),
    "youtube": JsonFormat("youtube", comment_thread, youtube_page),
    "tiktok": JsonFormat("tiktok", tiktok_video, tiktok_page),
    "mapping-jsonl": JsonFormat("mapping-jsonl", crawler_item, None),
}


def json_file(spec: JsonFormat, records: list[Valid], data: st.DataObject) -> str:
    """Lines of pages (or single records) mixing the valid records with hostile ones."""
    rnd = order(data)
    items = [spec.item(v) for v in records]
    model = items[0] if items else spec.item(_sample())
    hostile = [corrupt(model, data) for _ in range(rnd.randint(0, 3))]
    mixed = mix(items, hostile, data)
    if spec.page is None:
        lines = [json.dumps(item) for item in mixed]
    else:
        cuts = sorted(rnd.randint(0, len(mixed)) for _ in range(rnd.randint(0, 3)))
        bounds = [0, *cuts, len(mixed)]
        lines = [json.dumps(spec.page(mixed[a:b], data)) for a, b in itertools.pairwise(bounds)]
    for _ in range(rnd.randint(0, 2)):
        lines.insert(rnd.randint(0, len(lines)), data.draw(raw_lines))
    return "".join(line + "\n" for line in lines)


def _sample() -> Valid:
    return Valid("Isu contoh", datetime(2024, 1, 1, tzinfo=UTC), 1, fresh_id())


# --- CSV formats ------------------------------------------------------------------------------
LAPOR_HEADER = ["Nomor Tiket", "Tanggal Laporan", "Judul Laporan", "Isi Laporan", "Status"]
MAPPED_HEADER = ["ID", "Content", "Date", "Likes"]
#: Raw CSV lines that break a table: quotes left open, wrong widths, runaway fields.
csv_noise = st.one_of(
    st.sampled_from(['"', 'T,"', '"Jalan rusak,Dinas', ",,,,,,,,", '"a""b', 'x,"y"z,w']),
    st.text(max_size=30).filter(lambda t: "\n" not in t and "\r" not in t),
    st.integers(131_000, 140_000).map(lambda n: "a" * n),
)


def lapor_row(v: Valid) -> list[str]:
    local = v.published.astimezone(UTC) + timedelta(hours=7)  # LAPOR! writes WIB, no zone
    return [v.id, local.strftime("%d/%m/%Y %H:%M"), "Judul", v.text, "Baru"]


def mapped_row(v: Valid) -> list[str]:
    return [v.id, v.text, v.published.isoformat(), str(v.likes)]


def csv_file(
    header: list[str], row: Callable[[Valid], list[str]], records: list[Valid], data: st.DataObject
) -> str:
    """A CSV export: the valid rows written properly, hostile rows and raw broken lines mixed in."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    lines = []
    for v in records:
        one = io.StringIO()
        csv.writer(one, lineterminator="\r\n").writerow(row(v))
        lines.append(one.getvalue())
    rnd = order(data)
    for _ in range(rnd.randint(0, 3)):
        cells = [str(data.draw(wild)) for _ in range(rnd.randint(0, len(header) + 1))]
        one = io.StringIO()
        csv.writer(one, lineterminator="\r\n").writerow(cells)
        lines.append(one.getvalue())
    noise = [data.draw(csv_noise) + "\n" for _ in range(rnd.randint(0, 2))]
    lines = mix(lines, noise, data)
    return out.getvalue() + "".join(lines)


def stamp(records: list[Valid]) -> list[Valid]:
    """Give each record a fresh id."""
    for v in records:
        v.id = fresh_id()
    return records
