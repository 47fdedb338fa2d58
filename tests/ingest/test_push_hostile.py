"""Push API under hostile items: the valid ones are stored, each bad one is rejected alone, and
the connection stays usable (a 500 used to reset keep-alive, failing the client's next call)."""

from __future__ import annotations

import http.client
import json

from sqlalchemy import func, select

from pantau.store import Database, Mention, Quarantine
from tests.conftest import LiveServer
from tests.ingest.conftest import PushEnv

GOOD = {"text": "Jalan di Sangatta berlubang", "published_at": "2024-09-24T06:05:00+08:00"}

#: (item, or raw JSON text for what json.dumps cannot write, expected status, words of the error)
HOSTILE: list[tuple[object, str, str]] = [
    ({**GOOD, "external_id": 1838512345678901234}, "created", ""),  # numeric ids are ids
    ({**GOOD, "external_id": "big", "likes": 2**63}, "rejected", "likes"),
    ('{"external_id": "inf", "text": "x", "likes": 1e999}', "rejected", "likes"),
    ('{"external_id": "nan", "text": "x", "views": NaN}', "rejected", "views"),
    ({**GOOD, "external_id": "y9999", "published_at": "9999-12-31T23:59:59-12:00"}, "rejected", ""),
    ({**GOOD, "external_id": "y2999", "published_at": "2999-01-01T00:00:00Z"}, "rejected", "jam"),
    ({**GOOD, "external_id": "y1970", "published_at": "1970-01-01T00:00:00Z"}, "rejected", "batas"),
    ({**GOOD, "external_id": "deep", "extra": json.loads("[" * 200 + "]" * 200)}, "rejected", ""),
    ('{"external_id": "xnan", "text": "x", "extra": {"v": NaN}}', "rejected", "extra"),
    ({**GOOD, "external_id": True}, "rejected", "external_id"),
    ({**GOOD, "external_id": 1.5}, "rejected", "external_id"),
    ({**GOOD, "external_id": "\ud800"}, "rejected", "external_id"),  # echoed back: unsendable
    ("[]", "rejected", ""),
    ('"teks"', "rejected", ""),
    ("null", "rejected", ""),
]


def _body(items: list[object]) -> str:
    """A batch body, with raw JSON items written as they are (1e999, NaN)."""
    parts = [i if isinstance(i, str) else json.dumps(i) for i in items]
    return '{"mentions": [' + ", ".join(parts) + "]}"


def _good(n: int, prefix: str) -> list[object]:
    return [{**GOOD, "external_id": f"{prefix}-{i}"} for i in range(n)]


def _count(db: Database, model: type = Mention) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _post(conn: http.client.HTTPConnection, token: str, body: str) -> tuple[int, dict, str]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request("POST", "/api/v1/mentions", body=body.encode(), headers=headers)
    response = conn.getresponse()
    payload = response.read()
    return response.status, json.loads(payload), response.getheader("connection") or ""


def test_hostile_items_are_rejected_alone_on_one_keep_alive_connection(push_env: PushEnv):
    items = [*_good(3, "a"), *(item for item, _, _ in HOSTILE), *_good(2, "b")]
    with LiveServer(push_env.app) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        status, body, connection = _post(conn, push_env.token, _body(items))
        sock = conn.sock
        assert status == 200, body
        assert connection.lower() != "close"
        results = body["results"]
        assert [r["index"] for r in results] == list(range(len(items)))
        assert [r["status"] for r in results[3:-2]] == [status for _, status, _ in HOSTILE]
        for result, (_, _, words) in zip(results[3:-2], HOSTILE, strict=True):
            assert words in " ".join(result["errors"]), result
        assert results[3]["external_id"] == "1838512345678901234"
        # the same socket answers the next request: nothing reset it
        status, again, _ = _post(conn, push_env.token, _body(_good(2, "c")))
        assert status == 200 and again["created"] == 2
        assert conn.sock is sock
        conn.close()
    created = sum(status == "created" for _, status, _ in HOSTILE)
    assert _count(push_env.db) == 3 + created + 2 + 2
    assert _count(push_env.db, Quarantine) == len(HOSTILE) - created


def test_bodies_that_cannot_be_decoded_get_400_not_500(push_env: PushEnv):
    with LiveServer(push_env.app) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        for body in ["[" * 100_000, '{"mentions": [' + "9" * 5000 + "]}", "{rusak"]:
            status, answer, _ = _post(conn, push_env.token, body)
            assert status == 400, answer
        status, answer, _ = _post(conn, push_env.token, _body(_good(1, "d")))
        assert status == 200 and answer["created"] == 1
        conn.close()
