"""Sessions, CSRF and the guard every page and endpoint goes through.

The session is a signed (itsdangerous), HttpOnly, SameSite=Lax cookie holding the user id, the
CSRF token and the chosen language; there is always one, also before login, so the login form is
CSRF-protected too. :class:`CSRFMiddleware` refuses any state-changing request whose token does not
match, except requests that carry an API token in ``Authorization`` (no cookie, no CSRF risk).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pantau.store.models import User
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.users import principal_of

__all__ = [
    "COOKIE",
    "CSRFMiddleware",
    "NotLoggedIn",
    "SessionData",
    "guard",
    "load_session",
]

COOKIE = "pantau_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
#: Forms anyone may post without a session (the public newsroom's comment box): they carry no
#: ambient authority to forge, and a page any cache shares cannot hold a per-visitor token.
PUBLIC_FORMS: list[re.Pattern[str]] = []
#: Largest form body the CSRF check buffers; file uploads go through the CLI or the push API.
MAX_FORM_BYTES = 20 * 1024 * 1024


class NotLoggedIn(Exception):
    """No valid session: pages redirect to the login form, the API answers 401."""


@dataclass
class SessionData:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    uid: int | None = None
    lang: str | None = None
    fresh: bool = True  # not read from a valid cookie

    def dump(self) -> dict[str, Any]:
        return {"csrf": self.csrf, "uid": self.uid, "lang": self.lang}


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="pantau-session")


def load_session(raw: str | None, secret: str, max_age: int) -> SessionData:
    """The session in a cookie value, or a fresh anonymous one when missing or tampered with."""
    if raw:
        try:
            data = _serializer(secret).loads(raw, max_age=max_age)
            return SessionData(
                csrf=str(data["csrf"]), uid=data.get("uid"), lang=data.get("lang"), fresh=False
            )
        except (BadSignature, KeyError, TypeError):
            pass
    return SessionData()


def dump_session(session: SessionData, secret: str) -> str:
    return _serializer(secret).dumps(session.dump())


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


class CSRFMiddleware:
    """Pure ASGI middleware: checks the token of every unsafe request before any route runs."""

    def __init__(self, app: ASGIApp, secret_getter: Callable[[], tuple[str, int]]) -> None:
        self.app = app
        self.secret_getter = secret_getter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        if any(form.fullmatch(scope["path"]) for form in PUBLIC_FORMS):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("authorization", "").lower().startswith("bearer "):
            await self.app(scope, receive, send)  # API token: not cookie-borne, no CSRF
            return
        secret, max_age = self.secret_getter()
        cookie = _cookie_value(headers.get("cookie", ""), COOKIE)
        if cookie is None and scope["path"].startswith("/api/"):
            # No session cookie means no ambient authority to forge: let the endpoint answer
            # (an API client without a token gets its 401 there).
            await self.app(scope, receive, send)
            return
        session = load_session(cookie, secret, max_age)
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_FORM_BYTES:
                await _refuse(send, 413, "Permintaan terlalu besar.")
                return
        token = headers.get(CSRF_HEADER)
        ctype = headers.get("content-type", "")
        if token is None and ctype.startswith("application/x-www-form-urlencoded"):
            values = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD)
            token = values[0] if values else None
        elif token is None and ctype.startswith("multipart/form-data"):
            token = await _multipart_token(scope, body)
        if not cookie or not csrf_ok(session.csrf, token):
            await _refuse(send, 403, "Token CSRF tidak valid atau hilang. Muat ulang halaman.")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _multipart_token(scope: Scope, body: bytes) -> str | None:
    sent = False

    async def rcv() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(scope, rcv).form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


def _cookie_value(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def guard(action: str) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: the logged-in principal, authorized for ``action`` (province scope).

    Object-level checks (an issue of another agency) call
    :func:`pantau.workflow.permissions.authorize` again with the object's agency.
    """

    async def dependency(request: Request) -> Principal:
        session: SessionData = request.state.session
        if session.uid is None:
            raise NotLoggedIn()
        db = request.app.state.db
        with db.session() as s:
            user = s.get(User, session.uid)
            if user is None or not user.active:
                raise NotLoggedIn()
            principal = principal_of(user)
        authorize(principal, action)
        request.state.principal = principal
        return principal

    return dependency
