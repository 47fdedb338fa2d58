"""Administering users: role and agency, deactivation, password reset; every change audited.

A deactivated user is refused on their very next request (the session guard reads ``active``
on every request), so deactivation ends their sessions at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from pantau.store.audit import record_by
from pantau.store.models import ROLES, Agency, User
from pantau.workflow.permissions import Principal, authorize
from pantau.workflow.users import UserError, lock_out, set_password

__all__ = ["UserChange", "reset_password", "update_user", "user_view"]


@dataclass
class UserChange:
    """The fields an admin may change; ``None`` leaves a field as it is."""

    full_name: str | None = None
    email: str | None = None
    role: str | None = None
    agency_id: int | None = None
    clear_agency: bool = False
    active: bool | None = None


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "role": user.role,
        "agency_id": user.agency_id,
        "active": user.active,
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }


def _load(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"pengguna #{user_id} tidak ada")
    return user


def update_user(session: Session, principal: Principal, user_id: int, change: UserChange) -> User:
    """Apply ``change`` to a user; raises :class:`UserError` naming the bad field."""
    authorize(principal, "user.manage")
    user = _load(session, user_id)
    before = user_view(user)
    role = change.role if change.role is not None else user.role
    if role not in ROLES:
        raise UserError("role", f"peran {role!r} tidak dikenal; pilih: {', '.join(ROLES)}")
    agency_id = None if change.clear_agency else (change.agency_id or user.agency_id)
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    if agency_id is not None and agency is None:
        raise UserError("agency_id", f"instansi #{agency_id} tidak ada")
    if not principal.covers(agency.province if agency is not None else None):
        raise UserError("agency_id", "pilih instansi di provinsi Anda")
    if role == "analis" and agency_id is None:
        raise UserError("agency_id", "peran analis harus terhubung ke sebuah instansi")
    if change.active is False and user.id == principal.id:
        raise UserError("active", "Anda tidak dapat menonaktifkan akun Anda sendiri")
    if change.full_name is not None:
        name = " ".join(change.full_name.split())
        if not name:
            raise UserError("full_name", "nama lengkap tidak boleh kosong")
        user.full_name = name[:200]
    if change.email is not None:
        email = change.email.strip()
        if email and ("@" not in email or " " in email or len(email) > 200):
            raise UserError("email", f"alamat surel {email!r} tidak valid")
        user.email = email or None
    user.role, user.agency_id = role, agency_id
    ended = 0
    if change.active is not None:
        if user.active and not change.active:
            ended = lock_out(session, user)  # their sessions and API tokens end at once
        user.active = change.active
    after = user_view(user)
    action = "user.update"
    if before["active"] and not after["active"]:
        action = "user.deactivate"
    elif not before["active"] and after["active"]:
        action = "user.activate"
    record_by(
        session,
        principal,
        action=action,
        object_type="user",
        object_id=user.id,
        before=before,
        after={**after, "sessions_ended": ended} if ended else after,
    )
    return user


def reset_password(session: Session, principal: Principal, user_id: int, password: str) -> User:
    """Set a new password for a user (the admin hands it over; the hash alone is kept)."""
    authorize(principal, "user.manage")
    user = _load(session, user_id)
    ended = set_password(session, user, password, actor=principal.username)
    record_by(
        session,
        principal,
        action="user.password_reset",
        object_type="user",
        object_id=user.id,
        after={"username": user.username, "sessions_ended": ended},
    )
    return user
