"""Personal API tokens: scoped, stored hashed, revocable and listed.

A token acts for its user with the user's role, narrowed to its scopes. It is random (256 bits),
shown once and kept as a SHA-256 hash: with that much entropy a fast hash is enough and the
lookup is one index probe. A token stops working when revoked, when it expires and when its user
is deactivated. Tokens cannot create or revoke tokens (only a logged-in person can), so a leaked
token cannot mint itself successors.
The scopes themselves are checked where every permission is:
:func:`pantau.workflow.permissions.allowed`, so object-level checks inside a stage narrow a
token too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.access_models import ApiToken
from pantau.store.audit import record
from pantau.store.models import User
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.users import principal_of

__all__ = [
    "SCOPES",
    "TOKEN_PREFIX",
    "TokenError",
    "TokenGrant",
    "create_token",
    "list_tokens",
    "resolve_token",
    "revoke_token",
    "token_dict",
]

#: A public marker that tells personal tokens from sources' push tokens (``pnt_``) and helps
#: secret scanners find leaked ones; not a secret.
TOKEN_PREFIX = "pat_"  # noqa: S105
SCOPES: dict[str, str] = {
    "read": "membaca: dasbor, isu, sebutan, laporan, ekspor (tindakan *.view, *.search, *.export)",
    "write": "semua yang boleh dilakukan peran pengguna, kecuali mengelola token",
    "metrics": "membaca /metrics (hanya untuk admin)",
}
#: Longest lifetime a token may be given; a token for ever is a leak waiting to happen.
MAX_TOKEN_DAYS = 366


class TokenError(ValueError):
    """Bad input for a token; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TokenGrant:
    """A verified bearer token: acts as ``principal``, whose ``scopes`` narrow its role."""

    principal: Principal
    token_id: int


def _hash(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    owner: Principal,
    *,
    name: str,
    scopes: list[str],
    days: int | None = None,
    actor: Principal | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``owner``; returns the row and the secret (shown once, stored hashed)."""
    name = name.strip()
    if not name or len(name) > 120:
        raise TokenError("name", "nama token wajib diisi, paling panjang 120 karakter")
    unknown = sorted(set(scopes) - set(SCOPES))
    if not scopes or unknown:
        raise TokenError(
            "scopes", f"cakupan {unknown or scopes!r} tidak dikenal; pilih: " + ", ".join(SCOPES)
        )
    if "metrics" in scopes:
        authorize(owner, "metrics.view")
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise TokenError("days", f"masa berlaku 1-{MAX_TOKEN_DAYS} hari")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=owner.id,
        name=name,
        token_hash=_hash(secret),
        hint=secret[: len(TOKEN_PREFIX) + 4],
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )
    session.add(token)
    session.flush()
    who = actor or owner
    record(
        session,
        actor=who.username,
        actor_id=who.id,
        action="token.create",
        object_type="api_token",
        object_id=token.id,
        after={"user_id": owner.id, "name": name, "scopes": token.scopes, "days": days},
    )
    return token, secret


def resolve_token(session: Session, secret: str) -> TokenGrant | None:
    """The grant of a live personal token, or ``None`` (unknown, revoked, expired, inactive)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    wanted = _hash(secret)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == wanted))
    if token is None or not hmac.compare_digest(token.token_hash, wanted):
        return None
    if token.revoked_at is not None or (token.expires_at and token.expires_at <= utcnow()):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    principal = dataclasses.replace(principal_of(user), scopes=frozenset(token.scopes))
    return TokenGrant(principal, token.id)


def list_tokens(session: Session, user_id: int | None = None) -> list[ApiToken]:
    """Tokens of ``user_id`` (all users' when ``None``), newest first, revoked ones included."""
    stmt = select(ApiToken).order_by(ApiToken.id.desc())
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return list(session.scalars(stmt))


def revoke_token(session: Session, actor: Principal, token_id: int) -> ApiToken:
    """Revoke a token: its owner or a user manager may; raises ``LookupError`` if none."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise LookupError(f"token #{token_id} tidak ada")
    if token.user_id != actor.id:
        authorize(actor, "user.manage")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(
            session,
            actor=actor.username,
            actor_id=actor.id,
            action="token.revoke",
            object_type="api_token",
            object_id=token.id,
            after={"user_id": token.user_id, "name": token.name},
        )
    return token


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def token_dict(token: ApiToken) -> dict[str, Any]:
    """The listing form of a token (never its secret nor its hash)."""
    now = utcnow()
    state = (
        "revoked"
        if token.revoked_at
        else "expired"
        if token.expires_at and token.expires_at <= now
        else "active"
    )
    return {
        "id": token.id,
        "user_id": token.user_id,
        "name": token.name,
        "hint": token.hint + "…",
        "scopes": list(token.scopes),
        "state": state,
        "created_at": _iso(token.created_at),
        "expires_at": _iso(token.expires_at),
        "revoked_at": _iso(token.revoked_at),
    }
