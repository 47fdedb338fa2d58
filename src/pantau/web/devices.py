"""The known-device cookie: a browser that logged in as a user before, signed by the server.

Throttling spares a known device (:mod:`pantau.workflow.logins`): while a user name is under a
guessing attack from elsewhere, its owner's own browser still logs in. The cookie holds a random
device id and the user names that logged in from it; it is signed, so it cannot be forged, and
worth nothing without the password.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from pantau.web.security import DuplicateCookie, single_cookie

__all__ = ["DEVICE_COOKIE", "known_device", "remember_device"]

DEVICE_COOKIE = "pantau_device"
#: User names remembered per browser: a shared office computer, not a public terminal.
MAX_NAMES = 8


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="pantau-device")


def _read(request: Request) -> dict[str, Any] | None:
    settings = request.app.state.settings
    try:
        raw = single_cookie(getattr(request.state, "cookies", {}), DEVICE_COOKIE)
    except DuplicateCookie:
        return None  # ambiguous: treat the browser as unknown
    if not raw:
        return None
    try:
        data = _serializer(settings.secret_key).loads(
            raw, max_age=settings.known_device_days * 86400
        )
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str):
        return None
    names = data.get("u")
    return {"d": data["d"], "u": [n for n in names if isinstance(n, str)]} if names else None


def known_device(request: Request, username: str) -> str | None:
    """The device id when this browser logged in as ``username`` before, else ``None``."""
    data = _read(request)
    name = username.strip().lower()
    return data["d"] if data and name in data["u"] else None


def remember_device(request: Request, response: Response, username: str) -> None:
    """After a successful login, (re)issue the device cookie listing ``username``."""
    settings = request.app.state.settings
    data = _read(request) or {"d": secrets.token_urlsafe(16), "u": []}
    names = [n for n in data["u"] if n != username][: MAX_NAMES - 1]
    value = _serializer(settings.secret_key).dumps({"d": data["d"], "u": [username, *names]})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings.known_device_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/login",
    )
