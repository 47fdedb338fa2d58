"""Refuse form and JSON input that no store can keep, naming the field, before any route runs.

A NUL byte, another control character or half an emoji (a lone surrogate) in a comment, an
action or a draft made PostgreSQL refuse the write (a 500) and DOCX export fail later on SQLite.
A person never types one; a script or a paste from a terminal can. The answer is a 422 that
names the field, in the API's error shape (``{"detail", "problems": [{"field", "error"}]}``) or
as a short text for a form post. Multipart uploads (imports) and the push API are not checked
here: their records go through the ingest sink, which drops such characters with a note so a
batch never fails on one record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pantau.records import UNSTORABLE

__all__ = ["StorableInputMiddleware", "unstorable_fields"]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: Bodies larger than this pass unchecked (the routes have their own limits).
MAX_CHECKED_BYTES = 2 * 1024 * 1024
#: Paths whose records go through the ingest sink instead (see the module docstring).
SINK_PATHS = ("/api/v1/mentions",)
ERROR = "berisi karakter kendali atau surrogate tunggal yang tidak dapat disimpan"


def _walk(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if UNSTORABLE.search(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(str(key), path or "body")
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}.{i}" if path else str(i))


def unstorable_fields(content_type: str, body: bytes) -> list[str]:
    """The fields of a JSON or URL-encoded ``body`` that hold unstorable characters.

    >>> unstorable_fields("application/json", b'{"text": "banjir\\\\u0000", "n": 1}')
    ['text']
    >>> unstorable_fields("application/x-www-form-urlencoded", b"judul=a%0Bb&isi=ok")
    ['judul']
    """
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body.decode("utf-8", "surrogatepass"))
        except ValueError:
            return []  # not JSON: the route's own validation answers
        return list(dict.fromkeys(_walk(data, "")))
    if content_type.startswith("application/x-www-form-urlencoded"):
        text = body.decode("utf-8", "replace")
        return list(
            dict.fromkeys(
                name or "body"
                for name, value in parse_qsl(text, keep_blank_values=True)
                if UNSTORABLE.search(value) or UNSTORABLE.search(name)
            )
        )
    return []


class StorableInputMiddleware:
    """Pure ASGI middleware: buffers small JSON and form bodies, refuses unstorable fields."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in SAFE_METHODS
            or scope["path"].startswith(SINK_PATHS)
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        ctype = headers.get("content-type", "")
        if not ctype.startswith(("application/json", "application/x-www-form-urlencoded")):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        more = True
        while more and len(body) <= MAX_CHECKED_BYTES:
            message = await receive()
            messages.append(message)
            body += message.get("body", b"")
            more = message.get("more_body", False)
        fields = [] if more else unstorable_fields(ctype, body)
        if fields:
            await _refuse(send, scope["path"].startswith("/api/"), fields)
            return

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send, api: bool, fields: list[str]) -> None:
    if api:
        problems = [{"field": f, "error": ERROR} for f in fields]
        body = json.dumps(
            {"detail": "Masukan tidak valid.", "problems": problems}, ensure_ascii=False
        ).encode("utf-8")
        ctype = b"application/json"
    else:
        body = f"Masukan tidak valid: isian {', '.join(fields)} {ERROR}.".encode()
        ctype = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
