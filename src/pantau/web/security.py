"""Sessions, CSRF, bearer tokens and the guard every page and endpoint goes through.

:class:`AccessMiddleware` reads the request's cookies once, through :func:`request_cookies`, and
that one reading serves both the session and the CSRF check (two parsers once disagreed on which
of two same-named cookies counted). A request carrying two session cookies is refused: a sibling
site that plants a second one (cookie tossing) gets an error, not a session of its choosing.

The session is a signed (itsdangerous), HttpOnly, SameSite=Lax cookie holding a random session
id, the CSRF token and the chosen language; there is always one, also before login, so the login
form is CSRF-protected too. The id names a row of ``user_sessions`` that :func:`guard` checks on
every request, so a session ended on the server (logout, deactivation, password change) is over.

``Authorization: Bearer`` is verified here: a personal API token (``pat_``) or a source's push
token. A verified token skips CSRF, since the request then carries no cookie authority (the
cookie is ignored); an unverified one is refused with 401 before any route runs.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import anyio
from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pantau.store import tenancy
from pantau.store.db import Database
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.sessions import session_user
from pantau.workflow.tokens import TOKEN_PREFIX, resolve_token
from pantau.workflow.users import principal_of

__all__ = [
    "COOKIE",
    "AccessMiddleware",
    "NotLoggedIn",
    "SessionData",
    "guard",
    "load_session",
    "request_cookies",
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
SECURITY_HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        b"form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


class NotLoggedIn(Exception):
    """No valid session: pages redirect to the login form, the API answers 401."""


class DuplicateCookie(ValueError):
    """The request carries the named cookie more than once."""


@dataclass
class SessionData:
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    sid: str | None = None  # server-side session id, set at login
    lang: str | None = None
    fresh: bool = True  # not read from a valid cookie

    def dump(self) -> dict[str, Any]:
        return {"csrf": self.csrf, "sid": self.sid, "lang": self.lang}


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="pantau-session")


def load_session(raw: str | None, secret: str, max_age: int) -> SessionData:
    """The session in a cookie value, or a fresh anonymous one when missing or tampered with."""
    if raw:
        try:
            data = _serializer(secret).loads(raw, max_age=max_age)
            return SessionData(
                csrf=str(data["csrf"]), sid=data.get("sid"), lang=data.get("lang"), fresh=False
            )
        except (BadSignature, KeyError, TypeError):
            pass
    return SessionData()


def dump_session(session: SessionData, secret: str) -> str:
    return _serializer(secret).dumps(session.dump())


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def request_cookies(header: str) -> dict[str, list[str]]:
    """Every cookie in a ``Cookie`` header, each name with all the values sent for it.

    >>> request_cookies("a=1; b=2; a=3")
    {'a': ['1', '3'], 'b': ['2']}
    """
    found: dict[str, list[str]] = {}
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key:
            found.setdefault(key, []).append(value.strip())
    return found


def single_cookie(cookies: dict[str, list[str]], name: str) -> str | None:
    """The one value of ``name``; raises :class:`DuplicateCookie` when it came more than once."""
    values = cookies.get(name, [])
    if len(values) > 1:
        raise DuplicateCookie(name)
    return values[0] if values else None


def bearer_token(headers: dict[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer`` header ("" when the header is empty)."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _verify_bearer(db: Database, token: str) -> tuple[Any, int | None]:
    """(personal-token grant or None, push source id or None) for a bearer ``token``."""
    from pantau.ingest.sources import source_for_token

    with db.session() as s:
        if token.startswith(TOKEN_PREFIX):
            return resolve_token(s, token), None
        source = source_for_token(s, token)
        return None, source.id if source is not None else None


class AccessMiddleware:
    """Pure ASGI middleware: cookies read once, bearer tokens verified, CSRF checked, the
    session cookie written back when it changed, security headers added."""

    def __init__(
        self,
        app: ASGIApp,
        settings_getter: Callable[[], Any],
        db_getter: Callable[[], Database],
    ) -> None:
        self.app = app
        self.settings_getter = settings_getter
        self.db_getter = db_getter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.settings_getter()
        if any(form.fullmatch(scope["path"]) for form in PUBLIC_FORMS):
            # anyone may post these (no session, no CSRF token); the headers still apply
            await self.app(scope, receive, _with_headers(send, None))
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        # A client may split its cookies over several Cookie headers: read them all, once, and
        # leave the reading in the request state for everything else that needs a cookie.
        jar = "; ".join(v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"cookie")
        state = scope.setdefault("state", {})
        state["cookies"] = cookies = request_cookies(jar)
        try:
            raw = single_cookie(cookies, COOKIE)
        except DuplicateCookie:
            await _refuse(
                send,
                400,
                "Dua cookie sesi terkirim; permintaan ditolak. Hapus cookie situs ini lalu masuk "
                "lagi.",
                clear=True,
            )
            return
        token = bearer_token(headers)
        if token is not None:
            db = self.db_getter()
            grant, source_id = await anyio.to_thread.run_sync(_verify_bearer, db, token)
            if grant is None and source_id is None:
                await _refuse(send, 401, "token API tidak sah", bearer=True)
                return
            # The cookie is ignored: the token is the only authority, so there is nothing to forge.
            state.update(session=SessionData(), grant=grant, push_source_id=source_id)
            await self.app(scope, receive, _with_headers(send, None))
            return
        session = load_session(raw, settings.secret_key, settings.session_max_age)
        state["session"] = session
        original = None if session.fresh else session.dump()

        def cookie() -> bytes | None:
            if session.dump() == original:
                return None
            value = dump_session(session, settings.secret_key)
            secure = "; Secure" if settings.cookie_secure else ""
            return (
                f"{COOKIE}={value}; Max-Age={settings.session_max_age}; Path=/; HttpOnly; "
                f"SameSite=Lax{secure}"
            ).encode("latin-1")

        out = _with_headers(send, cookie)
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, out)
            return
        if raw is None and scope["path"].startswith("/api/"):
            # No session cookie means no ambient authority to forge: let the endpoint answer
            # (an API client without a token gets its 401 there).
            await self.app(scope, receive, out)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_FORM_BYTES:
                await _refuse(send, 413, "Permintaan terlalu besar.")
                return
        given = headers.get(CSRF_HEADER)
        ctype = headers.get("content-type", "")
        if given is None and ctype.startswith("application/x-www-form-urlencoded"):
            values = parse_qs(body.decode("utf-8", "replace")).get(CSRF_FIELD)
            given = values[0] if values else None
        elif given is None and ctype.startswith("multipart/form-data"):
            given = await _multipart_token(scope, body)
        if not raw or not csrf_ok(session.csrf, given):
            await _refuse(send, 403, "Token CSRF tidak valid atau hilang. Muat ulang halaman.")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, out)


def _with_headers(send: Send, cookie: Callable[[], bytes | None] | None) -> Send:
    """``send`` that adds the security headers (unless set) and the session cookie if changed."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {k.lower() for k, _ in headers}
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            # a page any cache may share never carries a per-visitor cookie: the cache would
            # hand one visitor's session to everyone (the public newsroom)
            shared = any(
                k.lower() == b"cache-control" and b"public" in v.lower() for k, v in headers
            )
            value = cookie() if cookie is not None and not shared else None
            if value is not None:
                headers.append((b"set-cookie", value))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


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


async def _refuse(
    send: Send, status: int, text: str, *, clear: bool = False, bearer: bool = False
) -> None:
    body = (json.dumps({"detail": text}) if bearer else text).encode("utf-8")
    ctype = b"application/json" if bearer else b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", ctype),
        (b"content-length", str(len(body)).encode()),
    ]
    if clear:
        headers.append((b"set-cookie", f"{COOKIE}=; Max-Age=0; Path=/; HttpOnly".encode()))
    if bearer:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def guard(action: str) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: the caller, authorized for ``action`` (province scope).

    The caller is a personal API token's user (within the token's scopes) or the user of a live
    server-side session. Object-level checks (an issue of another agency) call
    :func:`pantau.workflow.permissions.authorize` again with the object's agency.
    """

    async def dependency(request: Request) -> Principal:
        grant = getattr(request.state, "grant", None)
        if grant is not None:
            principal: Principal = grant.principal  # its scopes narrow every authorize()
        else:
            session: SessionData = request.state.session
            if session.sid is None:
                raise NotLoggedIn()
            with request.app.state.db.session() as s:
                user = session_user(s, session.sid)
                if user is None:
                    raise NotLoggedIn()
                principal = principal_of(user)
        authorize(principal, action)
        if principal.tenants is not None:
            with request.app.state.db.session() as s:
                served = tenancy.known_tenants(s, request.app.state.settings.province)
            principal = dataclasses.replace(
                principal, tenants=tenancy.effective(principal.tenants, served)
            )
        request.state.principal = principal
        tenancy.enter(principal.tenants)  # every query of this request sees its provinces only
        return principal

    return dependency
