"""Users: validated creation with argon2 hashes, authentication, throttling of failed logins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pantau.store.audit import record
from pantau.store.models import ROLES, Agency, LoginFailure, User
from pantau.store.types import utcnow
from pantau.workflow.permissions import Principal

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "LoginResult",
    "UserError",
    "authenticate",
    "check_password",
    "create_user",
    "hash_password",
    "principal_of",
]

#: NIST SP 800-63B asks for at least 8; officers' accounts see leaked-list attacks, so 10.
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_hasher = PasswordHash((Argon2Hasher(),))
# Verifying against this keeps the time of a login for an unknown user like a real one.
_DUMMY_HASH = _hasher.hash("pantau-dummy-password")


class UserError(ValueError):
    """Bad input for a user; ``field`` names the field, the message says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(username: str, password: str) -> None:
    """Refuse a password that is too short or too easy to guess for ``username``."""
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
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise UserError("agency", f"instansi #{agency_id} tidak ada")
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
    return Principal(user.id, user.username, user.role, user.agency_id, user.full_name)


@dataclass
class LoginResult:
    principal: Principal | None
    throttled: bool = False


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str = "",
    max_failures: int = 5,
    window_seconds: int = 60,
) -> LoginResult:
    """Check a password; after ``max_failures`` failures within the window, refuse outright."""
    username = username.strip().lower()
    now = utcnow()
    since = now - timedelta(seconds=window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(days=1)))
    failures = session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.username == username, LoginFailure.at >= since
        )
    )
    if (failures or 0) >= max_failures:
        session.add(LoginFailure(username=username, address=address[:64]))
        return LoginResult(None, throttled=True)
    user = session.scalar(select(User).where(User.username == username))
    ok = _hasher.verify(password, user.password_hash if user else _DUMMY_HASH)
    if user is None or not ok or not user.active:
        session.add(LoginFailure(username=username, address=address[:64]))
        return LoginResult(None)
    user.last_login_at = now
    return LoginResult(principal_of(user))
