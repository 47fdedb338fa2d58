"""Property-based fuzzing of every import format and the push API: no input crashes an import,
and every valid record mixed into a hostile file or batch is stored exactly once.

The CI lane runs a fixed, derandomized budget (the ``fuzz-ci`` profile, about 10,000 files and
batches in all); ``make fuzz`` runs ``FUZZ_SCALE`` times as many with fresh random seeds.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pantau.ingest.imports import parse_format
from pantau.ingest.limits import RecordLimits
from pantau.ingest.registry import get_connector
from pantau.ingest.sink import write_mentions, write_quarantine
from pantau.ingest.sources import add_source, import_source, issue_token
from pantau.records import MentionIn, QuarantineItem
from pantau.settings import Settings
from pantau.store import Database, Mention
from tests.ingest import fuzzing as fz

pytestmark = pytest.mark.fuzz

#: Examples per test in CI: eight tests make the lane's 10,400 generated files and batches.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1300"))
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))
PROFILE = settings.get_profile("fuzz" if SCALE > 1 else "fuzz-ci")
budget = settings(PROFILE, max_examples=EXAMPLES * SCALE)
records = st.lists(fz.valid_records, max_size=6)


class Store:
    """One SQLite store for a whole fuzz test: its examples write under ids never reused."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = Database(f"sqlite:///{folder / 'fuzz.db'}")
        self.db.upgrade()
        self.settings = Settings.from_env({}, database_url=self.db.url, data_dir=str(folder))
        self.limits = RecordLimits.from_settings(self.settings)

    def import_text(self, name: str, text: str, fmt: str) -> None:
        """What ``import_file`` does (the format's reader and converter, then the sink), with
        the file's mentions and quarantine in one transaction (half the CPU time per file)."""
        path = self.folder / f"{fz.fresh_id()}-{name}"  # its own origin, as each real file
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        kind, options = parse_format(fmt)
        items = list(get_connector(kind).parse(path, {**options, "limits": self.limits}))
        mentions = [i for i in items if isinstance(i, MentionIn)]
        failed = [i for i in items if isinstance(i, QuarantineItem)]
        with self.db.writer() as session:
            source = import_source(session, f"fuzz-{kind}", kind, "social")
            _, rejected = write_mentions(session, source, mentions, limits=self.limits)
            write_quarantine(session, source, [*failed, *rejected])
        path.unlink()

    def stored_once(self, ids: list[str]) -> list[str]:
        """The ids of ``ids`` not stored exactly once (lost or doubled)."""
        if not ids:
            return []
        with self.db.session() as s:
            counts = dict(
                s.execute(
                    select(Mention.external_id, func.count())
                    .where(Mention.external_id.in_(ids))
                    .group_by(Mention.external_id)
                ).all()
            )
        return [i for i in ids if counts.get(i) != 1]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    # files and store in memory where the system offers it: the lane measures pantau, not a
    # disk shared with other jobs (writing the file was half of each example's time on /tmp)
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="pantau-fuzz-", dir=shm if shm.is_dir() else None))
    fuzz_store = Store(folder)
    yield fuzz_store
    fuzz_store.db.dispose()
    shutil.rmtree(folder, ignore_errors=True)


def _mapping(store: Store, kind: str) -> str:
    path = store.folder / f"{kind}.toml"
    if kind == "csv":
        fields = 'external_id = "ID"\ntext = "Content"\npublished_at = "Date"\nlikes = "Likes"\n'
    else:
        fields = 'external_id = "id"\ntext = "body"\npublished_at = "when"\nlikes = "stats.likes"\n'
    path.write_text(f'[input]\nformat = "{kind}"\n\n[fields]\n{fields}', encoding="utf-8")
    return f"mapping:{path}"


@pytest.mark.parametrize("name", sorted(fz.JSON_FORMATS))
@budget
@given(data=st.data(), valid=records)
def test_json_exports_keep_every_valid_record(store, name, data, valid):
    spec = fz.JSON_FORMATS[name]
    fz.stamp(valid)
    fmt = _mapping(store, "jsonl") if name == "mapping-jsonl" else spec.fmt
    store.import_text(f"{name}.jsonl", fz.json_file(spec, valid, data), fmt)
    assert store.stored_once([v.id for v in valid]) == []


@pytest.mark.parametrize("name", ["lapor", "mapping-csv"])
@budget
@given(data=st.data(), valid=records)
def test_csv_exports_keep_every_valid_record(store, name, data, valid):
    fz.stamp(valid)
    if name == "lapor":
        text, fmt = fz.csv_file(fz.LAPOR_HEADER, fz.lapor_row, valid, data), "lapor"
    else:
        text, fmt = (
            fz.csv_file(fz.MAPPED_HEADER, fz.mapped_row, valid, data),
            _mapping(store, "csv"),
        )
    store.import_text(f"{name}.csv", text, fmt)
    assert store.stored_once([v.id for v in valid]) == []


@pytest.fixture(scope="module")
def push(store: Store) -> Iterator[tuple[TestClient, dict[str, str]]]:
    from pantau.web.app import ROUTERS, create_app

    with store.db.writer() as s:
        token = issue_token(add_source(s, name="fuzz-push", kind="push", channel="social"))
    app = create_app(store.settings.replace(secret_key="k" * 40), store.db)
    if "pantau.web.api_ingest" not in ROUTERS:  # until the lead mounts it
        from pantau.web.api_ingest import router

        app.include_router(router)
    with TestClient(app) as client:
        yield client, {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def _item(v: fz.Valid) -> dict[str, Any]:
    return {
        "external_id": v.id,
        "text": v.text,
        "published_at": v.published.isoformat(),
        "likes": v.likes,
    }


@budget
@given(data=st.data(), valid=records)
def test_push_batches_keep_every_valid_item(store, push, data, valid):
    client, headers = push
    items = [_item(v) for v in fz.stamp(valid)]
    hostile = [fz.corrupt(_item(fz._sample()), data) for _ in range(fz.order(data).randint(0, 4))]
    batch = fz.mix(items, hostile, data)
    body = '{"mentions": [' + ", ".join(json.dumps(i) for i in batch) + "]}"
    response = client.post("/api/v1/mentions", content=body.encode(), headers=headers)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == len(batch)
    created = {r["external_id"] for r in results if r["status"] == "created"}
    assert {i["external_id"] for i in items} <= created
    assert store.stored_once([i["external_id"] for i in items]) == []
