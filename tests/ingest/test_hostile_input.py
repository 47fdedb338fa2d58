"""Hostile and broken export files: each bad record is quarantined alone, nothing valid is lost.

Every trigger the import fuzzer found has its regression test here, run through the real
``import_file`` into a real SQLite store (the PostgreSQL run of the same writes is in
``test_store_ingest``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from pantau.ingest.imports import import_file
from pantau.ingest.limits import RecordLimits
from pantau.ingest.readers import iter_csv, iter_json_documents
from pantau.settings import Settings
from pantau.store import Database, Mention, Quarantine

FIX = Path(__file__).resolve().parent / "fixtures"
LAPOR_HEADER = "Nomor Tiket,Tanggal Laporan,Judul Laporan,Isi Laporan,Instansi Tujuan,Status\n"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'pantau.db'}")
    database.upgrade()
    yield database
    database.dispose()


def _stored(db: Database) -> dict[str, Mention]:
    with db.session() as s:
        return {m.external_id: m for m in s.scalars(select(Mention))}


def _quarantined(db: Database) -> list[Quarantine]:
    with db.session() as s:
        return list(s.scalars(select(Quarantine).order_by(Quarantine.line, Quarantine.id)))


def _tweet(i: int, **over: object) -> dict:
    tweet = {
        "id": str(1000 + i),
        "text": f"Banjir di Sempaja, laporan ke-{i}",
        "author_id": "42",
        "created_at": "2024-09-24T06:12:33.000Z",
        "public_metrics": {"like_count": i, "retweet_count": 1},
    }
    tweet.update(over)
    return tweet


def _page(tweets: list[dict], includes: object = None) -> dict:
    users = {"users": [{"id": "42", "username": "w"}]}
    return {"data": tweets, "includes": users if includes is None else includes}


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_x_page_with_infinite_count_and_year_9999_date_keeps_the_others(db, settings, tmp_path):
    tweets = [_tweet(i) for i in range(5)]
    line = json.dumps(_page(tweets))
    # JSON allows 1e999; Python reads it as inf. The date is year 10000 once in UTC.
    line = line.replace('"like_count": 1,', '"like_count": 1e999,', 1)
    line = line.replace(
        '"created_at": "2024-09-24T06:12:33.000Z", "public_metrics": {"like_count": 3',
        '"created_at": "9999-12-31T23:59:59-12:00", "public_metrics": {"like_count": 3',
    )
    path = _write_lines(tmp_path / "x.jsonl", [line])
    summary = import_file(db, path, "x-v2", settings)
    assert (summary.imported, summary.quarantined) == (3, 2)
    assert set(_stored(db)) == {"1000", "1002", "1004"}
    fields = {q.field for q in _quarantined(db)}
    assert fields == {"data[1].public_metrics.like_count", "data[3].created_at"}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1e999", "terhingga"),
        ('"1e400"', "terhingga"),
        (str(2**63), "terlalu besar"),
        ("NaN", "terhingga"),
        ("-Infinity", "terhingga"),
        ('"nan"', "terhingga"),
        ("true", "harus bilangan"),
    ],
)
def test_counts_the_store_cannot_hold_are_quarantined_by_field(db, settings, tmp_path, raw, reason):
    good = json.dumps(_tweet(1))
    bad = json.dumps(_tweet(2)).replace('"like_count": 2', f'"like_count": {raw}')
    path = _write_lines(tmp_path / "x.jsonl", [bad, good])
    summary = import_file(db, path, "x-v2", settings)
    assert (summary.imported, summary.quarantined) == (1, 1)
    [q] = _quarantined(db)
    assert (q.line, q.field) == (1, "public_metrics.like_count")
    assert reason in q.reason


def test_a_count_written_as_text_is_read_exactly(tmp_path):
    from pantau.ingest.exports import get_count

    assert get_count({"n": "9223372036854775296"}, "n") == 9223372036854775296
    assert get_count({"n": "1.234"}, "n") == 1234


def test_largest_storable_count_is_kept(db, settings, tmp_path):
    line = json.dumps(_tweet(1, public_metrics={"like_count": 2**63 - 1}))
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", [line]), "x-v2", settings)
    assert summary.imported == 1
    assert _stored(db)["1001"].likes == 2**63 - 1


def test_dates_outside_the_window_are_quarantined_with_the_reason(db, settings, tmp_path):
    soon = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    lines = [
        json.dumps(_tweet(1, created_at="1970-01-01T00:00:00Z")),
        json.dumps(_tweet(2, created_at="2999-01-01T00:00:00Z")),
        json.dumps(_tweet(3, created_at=later)),
        json.dumps(_tweet(4, created_at=soon)),  # a clock a little ahead is still news
        json.dumps(_tweet(5, created_at="2000-01-01T00:00:00Z")),
    ]
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", lines), "x-v2", settings)
    assert (summary.imported, summary.quarantined) == (2, 3)
    assert set(_stored(db)) == {"1004", "1005"}
    reasons = {q.line: q.reason for q in _quarantined(db)}
    assert "sebelum batas 2000-01-01" in reasons[1]
    assert "lebih dari 24 jam setelah sekarang" in reasons[2]
    assert all(q.field == "created_at" or q.field == "published_at" for q in _quarantined(db))


def test_date_window_follows_the_settings(db, tmp_path):
    narrow = Settings.from_env({}, mention_earliest_date="2024-09-25", mention_future_hours=1.0)
    lines = [json.dumps(_tweet(1)), json.dumps(_tweet(2, created_at="2024-09-26T00:00:00Z"))]
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", lines), "x-v2", narrow)
    assert (summary.imported, summary.quarantined) == (1, 1)
    assert set(_stored(db)) == {"1002"}


def test_deep_nesting_is_quarantined_and_the_rest_imports(db, settings, tmp_path):
    deep = json.loads("[" * 100 + "]" * 100)
    lines = [
        "[" * 100_000 + "]" * 100_000,  # deeper than the JSON decoder's own recursion
        json.dumps(_tweet(1, conversation_id=deep)),  # kept in extra: over the limit
        json.dumps(_tweet(2, unread_field=deep)),  # in no field pantau keeps: costs nothing
    ]
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", lines), "x-v2", settings)
    assert (summary.imported, summary.quarantined) == (1, 2)
    assert set(_stored(db)) == {"1002"}
    reasons = {q.line: (q.field, q.reason) for q in _quarantined(db)}
    assert "bersarang" in reasons[1][1]
    assert reasons[2] == ("extra", "bersarang lebih dari 64 tingkat")


def test_non_objects_inside_x_data_and_includes(db, settings, tmp_path):
    lines = [
        json.dumps(_page([1, "teks", None, [], _tweet(1)])),
        json.dumps(_page([_tweet(2)], includes="rusak")),
        json.dumps(_page([_tweet(3)], includes={"users": 5})),
        json.dumps(_page([_tweet(4, author="@w", referenced_tweets=7)], includes={"users": [3]})),
        json.dumps({"data": "bukan daftar"}),
    ]
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", lines), "x-v2", settings)
    assert set(_stored(db)) == {"1001", "1002", "1003", "1004"}
    assert summary.quarantined == 5  # four non-objects in line 1, the string on line 5
    assert {q.line for q in _quarantined(db)} == {1, 5}


def test_external_id_given_as_a_number(db, settings, tmp_path):
    lines = [json.dumps(_tweet(1, id=1838512345678901234)), json.dumps(_tweet(2, id=1.5))]
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", lines), "x-v2", settings)
    assert (summary.imported, summary.quarantined) == (1, 1)
    assert set(_stored(db)) == {"1838512345678901234"}


def test_an_integer_of_thousands_of_digits_is_one_bad_line(db, settings, tmp_path):
    lines = [json.dumps(_tweet(1)).replace('"like_count": 1', '"like_count": ' + "9" * 5000)]
    lines.append(json.dumps(_tweet(2)))
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", lines), "x-v2", settings)
    assert (summary.imported, summary.quarantined) == (1, 1)


def test_json_lines_with_lines_over_4096_characters_import_every_record(db, settings, tmp_path):
    # a collector's export: 100 tweets a line, every line far longer than a sniffing buffer
    pages = [_page([_tweet(p * 100 + i) for i in range(100)]) for p in range(5)]
    lines = [json.dumps(page) for page in pages]
    assert min(len(line) for line in lines) > 4096 * 4
    summary = import_file(db, _write_lines(tmp_path / "x.jsonl", lines), "x-v2", settings)
    assert (summary.imported, summary.quarantined) == (500, 0)


def test_json_lines_with_a_broken_first_line_keep_the_rest(tmp_path):
    path = _write_lines(tmp_path / "x.jsonl", ['{"data": [', json.dumps(_tweet(1)), "{}"])
    items = list(iter_json_documents(path))
    assert [line for line, _ in items] == [1, 2, 3]
    assert isinstance(items[1][1], dict)


def test_a_pretty_printed_document_is_still_one_record(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps(_page([_tweet(1), _tweet(2)]), indent=2), encoding="utf-8")
    [(line, record)] = list(iter_json_documents(path))
    assert line == 1 and len(record["data"]) == 2


def test_a_broken_pretty_printed_document_is_one_error(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(json.dumps(_page([_tweet(1)]), indent=2)[:-40], encoding="utf-8")
    items = list(iter_json_documents(path))
    assert len(items) == 1 and "JSON rusak" in items[0][1].reason


def _lapor_rows(n: int, start: int = 1, quoted: bool = False) -> list[str]:
    rows = []
    for i in range(start, start + n):
        text = f'"Jalan rusak, berlubang di RT {i}"' if quoted else f"Jalan rusak di RT {i}"
        rows.append(f"T{i},24/09/2024 09:15,Judul {i},{text},Dinas PU,Baru\n")
    return rows


def _lapor(path: Path, rows: list[str]) -> Path:
    path.write_text(LAPOR_HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "broken",
    [
        'T10,24/09/2024 09:15,Judul 10,"Jalan rusak tanpa tanda kutip penutup,Dinas PU,Baru\n',
        'T10,24/09/2024 09:15,Judul 10,Jalan rusak,Dinas PU,"Baru\n',  # open quote, last column
    ],
)
@pytest.mark.parametrize("quoted", [False, True])
def test_lapor_csv_with_one_unterminated_quote_keeps_the_good_rows(
    db, settings, tmp_path, broken, quoted
):
    rows = [*_lapor_rows(9, 1, quoted), broken, *_lapor_rows(90, 11, quoted)]
    summary = import_file(db, _lapor(tmp_path / "lapor.csv", rows), "lapor", settings)
    assert summary.imported >= 98
    assert summary.imported == 99
    assert "T10" not in _stored(db)
    [q] = _quarantined(db)
    assert q.line == 11 and "tanda kutip tidak tertutup" in q.reason


def test_a_quoted_field_over_several_lines_is_one_row(tmp_path):
    # the second line alone would be a full six-column row: still one quoted field
    text = '"Paragraf satu, dengan koma.\nRT 1,RT 2,RT 3,RT 4 dan RT 5\n\nParagraf tiga"'
    row = f"T2,24/09/2024 09:15,Judul,{text},Dinas PU,Baru\n"
    rows = [*_lapor_rows(1), row, *_lapor_rows(1, 3)]
    items = list(iter_csv(_lapor(tmp_path / "lapor.csv", rows)))
    assert [line for line, _ in items] == [2, 3, 7]
    assert items[1][1]["Isi Laporan"].count("\n") == 3


def test_a_stray_quote_within_one_line_is_read_leniently(tmp_path):
    row = 'T2,24/09/2024 09:15,Judul,"Jalan" rusak parah,Dinas PU,Baru\n'
    items = list(
        iter_csv(_lapor(tmp_path / "lapor.csv", [*_lapor_rows(1), row, *_lapor_rows(1, 3)]))
    )
    assert [line for line, _ in items] == [2, 3, 4]
    assert items[1][1]["Isi Laporan"] == "Jalan rusak parah"  # as a spreadsheet reads it


def test_large_csv_with_an_unterminated_quote_does_not_crash(db, settings, tmp_path):
    # long rows, so the runaway field passes the csv module's default 131,072-character limit
    pad = "x" * 200
    rows = [r.replace("Jalan rusak", f"Jalan rusak {pad}") for r in _lapor_rows(3000)]
    rows[9] = rows[9].replace("Jalan rusak", '"Jalan rusak', 1)
    tight = settings.replace(import_max_field_chars=100_000)
    summary = import_file(db, _lapor(tmp_path / "lapor.csv", rows), "lapor", tight)
    assert (summary.imported, summary.quarantined) == (2999, 1)


def test_csv_field_over_131072_characters(db, settings, tmp_path):
    long_text = "Keluhan panjang. " * 10_000  # 170,000 characters
    rows = [*_lapor_rows(1), f"T2,24/09/2024 09:15,Judul,{long_text},Dinas PU,Baru\n"]
    summary = import_file(db, _lapor(tmp_path / "lapor.csv", rows), "lapor", settings)
    assert summary.imported == 2
    kept = _stored(db)["T2"]
    assert len(kept.text) == settings.max_text_chars
    assert any("dipotong" in note for note in kept.notes)


def test_csv_field_over_the_limit_is_quarantined_by_column(db, settings, tmp_path):
    rows = [*_lapor_rows(1), f"T2,24/09/2024 09:15,Judul,{'a' * 5000},Dinas PU,Baru\n"]
    tight = settings.replace(import_max_field_chars=1000)
    summary = import_file(db, _lapor(tmp_path / "lapor.csv", rows), "lapor", tight)
    assert (summary.imported, summary.quarantined) == (1, 1)
    [q] = _quarantined(db)
    assert (q.line, q.field) == (3, "Isi Laporan")


def test_limits_from_settings_refuse_a_bad_earliest_date():
    from pantau.settings import SettingsError

    with pytest.raises(SettingsError, match="PANTAU_MENTION_EARLIEST_DATE"):
        RecordLimits.from_settings(Settings.from_env({}, mention_earliest_date="kemarin"))
