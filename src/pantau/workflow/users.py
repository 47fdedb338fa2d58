"""Users: validated creation with argon2 hashes, password changes and deactivation.

Changing a password or deactivating a user ends every session of that user on the server
(:mod:`pantau.workflow.sessions`); deactivation also revokes the user's API tokens. Logging in
(throttling, the known device, hashing off the write lock) is :mod:`pantau.workflow.logins`.
"""

from __future__ import annotations

import re

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pantau.store import tenancy
from pantau.store.access_models import ApiToken
from pantau.store.audit import record
from pantau.store.models import ROLES, Agency, User
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal
from pantau.workflow.sessions import end_user_sessions

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "UserError",
    "check_password",
    "create_user",
    "deactivate_user",
    "find_user",
    "hash_password",
    "lock_out",
    "principal_of",
    "set_password",
    "verify_password",
]

#: NIST SP 800-63B asks for at least 8; officers' accounts see leaked-list attacks, so 10.
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_hasher = PasswordHash((Argon2Hasher(),))
#: Verifying against this keeps the time of a login for an unknown user like a real one. Written
#: out, not hashed at import (a quarter of a second, in every process that imports ``workflow``);
#: a test checks it still has the hasher's current parameters, so it costs what a real one does.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$xtkmNokYw4c5XFxmTnmLYQ"
    "$MuX2ic122FuNgk5YfD0X+FxtMLu2DHHPKad1LLUlovk"
)


class UserError(ValueError):
    """Bad input for a user; ``field`` names the field, the message says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; ``None`` (no such user) costs the same time.

    Argon2 takes tens of milliseconds of CPU: call this outside any database transaction.
    """
    return bool(_hasher.verify(password, stored or _DUMMY_HASH)) and stored is not None


def check_password(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password", f"kata sandi minimal {MIN_PASSWORD_LENGTH} karakter")
    if password.lower() == username or password.isdigit():
        raise UserError("password", "kata sandi terlalu mudah ditebak")


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    email: str | None = None,
    agency_id: int | None = None,
    actor: str = "system",
) -> User:
    """Validate and add a user; raises :class:`UserError` naming the bad field."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise UserError(
            "username",
            "3-64 karakter: huruf kecil, angka, titik, garis bawah atau tanda hubung",
        )
    if role not in ROLES:
        raise UserError(
            "role", f"peran {role!r} tidak dikenal; pilih salah satu: {', '.join(ROLES)}"
        )
    check_password(username, password)
    if email is not None and email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise UserError("email", f"alamat surel {email!r} tidak valid")
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if agency_id is not None and agency is None:
        raise UserError("agency", f"instansi #{agency_id} tidak ada")
    if not tenancy.within(agency.province if agency is not None else None):
        # a provincial administrator makes users of its own province only, never national ones
        raise UserError("agency", "pilih instansi di provinsi Anda")
    if role in ("analis",) and agency_id is None:
        raise UserError("agency", "peran analis harus terhubung ke sebuah instansi")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError("username", f"nama pengguna {username!r} sudah dipakai")
    user = User(
        username=username,
        full_name=full_name or username,
        email=email or None,
        password_hash=hash_password(password),
        role=role,
        agency_id=agency_id,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.id,
        after={"username": username, "role": role, "agency_id": agency_id},
    )
    return user


def principal_of(user: User) -> Principal:
    """The principal a user acts as: its provinces are its agency's (all for a national agency,
    or for a user of no agency: the installation's own administrators)."""
    province = user.agency.province if user.agency is not None else None
    return Principal(
        user.id,
        user.username,
        user.role,
        user.agency_id,
        user.full_name,
        tenants=frozenset({province}) if province else None,
    )


def find_user(session: Session, username: str) -> User:
    """The user called ``username``; raises :class:`UserError` when there is none."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise UserError("username", f"pengguna {username!r} tidak ada")
    return user


def set_password(session: Session, user: User, password: str, *, actor: str = "system") -> int:
    """Give ``user`` a new password and end all their sessions; returns how many ended."""
    check_password(user.username, password)
    user.password_hash = hash_password(password)
    ended = end_user_sessions(session, user.id, reason="password")
    record(
        session,
        actor=actor,
        action="user.password",
        object_type="user",
        object_id=user.id,
        after={"sessions_ended": ended},
    )
    return ended


def lock_out(session: Session, user: User) -> int:
    """End every session of ``user`` and revoke their API tokens; returns the sessions ended."""
    ended = end_user_sessions(session, user.id, reason="deactivated")
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return ended


def deactivate_user(session: Session, user: User, *, actor: str = "system") -> int:
    """Stop ``user`` from logging in: end their sessions and revoke their API tokens.

    Returns how many sessions ended. The row stays: the audit log and assignments refer to it.
    """
    user.active = False
    ended = lock_out(session, user)
    record(
        session,
        actor=actor,
        action="user.deactivate",
        object_type="user",
        object_id=user.id,
        before={"active": True},
        after={"active": False, "sessions_ended": ended},
    )
    return ended
