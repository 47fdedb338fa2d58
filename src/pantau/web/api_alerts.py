"""The JSON API of alert administration: routing rules, endpoints, dead letters, preferences.

Every endpoint goes through :func:`pantau.web.security.guard`; the reading and the writing are
:mod:`pantau.alerts.config` and :mod:`pantau.alerts.outbox`, which validate and audit. Refusals
are 403, bad configuration 422 naming the field, a resend of a delivery that is not dead 404.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from pantau.alerts import config
from pantau.alerts.config import ConfigError
from pantau.alerts.outbox import dead_letters, resend
from pantau.web.security import guard
from pantau.workflow.permissions import Principal

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1", tags=["peringatan"])
Manager = Annotated[Principal, Depends(guard("alert.manage"))]
Postmaster = Annotated[Principal, Depends(guard("alert.deadletter"))]
Reader = Annotated[Principal, Depends(guard("notification.view"))]


@contextmanager
def config_errors() -> Iterator[None]:
    """Turn a refused alert configuration into a 422 naming the field."""
    try:
        yield
    except ConfigError as exc:
        raise HTTPException(422, {"field": exc.field, "message": exc.message}) from exc


class DeadLetterOut(BaseModel):
    id: int
    key: str
    channel: str
    recipient: str
    address: str
    attempts: int
    last_error: str | None
    subject: str


class PreferencesIn(BaseModel):
    telegram_chat_id: str | None = Field(None, max_length=64)
    channels: list[str] = Field(default_factory=list)
    digest_only: bool = False
    addresses: dict[str, str] = Field(default_factory=dict)


@router.get("/alerts/dead-letters", response_model=list[DeadLetterOut], summary="Surat mati")
def get_dead_letters(request: Request, principal: Postmaster) -> list[DeadLetterOut]:
    with request.app.state.db.session() as s:
        return [DeadLetterOut.model_validate(r, from_attributes=True) for r in dead_letters(s)]


@router.post("/alerts/deliveries/{delivery_id}/resend", summary="Kirim ulang surat mati")
def post_resend(request: Request, delivery_id: int, principal: Postmaster) -> dict[str, bool]:
    with request.app.state.db.writer() as s:
        if not resend(s, delivery_id, actor=principal.username, actor_id=principal.id):
            raise HTTPException(404, f"kiriman #{delivery_id} bukan surat mati")
    return {"ok": True}


@router.get("/alerts/rules", summary="Aturan perutean peringatan")
def get_rules(request: Request, principal: Manager) -> list[dict[str, Any]]:
    with request.app.state.db.session() as s:
        return [config.rule_dict(r) for r in config.rules(s)]


@router.post("/alerts/rules", summary="Tambah aturan perutean")
def post_rule(request: Request, body: dict[str, Any], principal: Manager) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        return config.rule_dict(config.add_rule(s, principal, body))


@router.post("/alerts/rules/{rule_id}/deactivate", summary="Nonaktifkan aturan")
def post_rule_off(request: Request, rule_id: int, principal: Manager) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        return config.rule_dict(config.deactivate_rule(s, principal, rule_id))


@router.get("/alerts/endpoints", summary="Titik kirim (webhook, grup Telegram)")
def get_endpoints(request: Request, principal: Manager) -> list[dict[str, Any]]:
    with request.app.state.db.session() as s:
        return [config.endpoint_dict(e) for e in config.endpoints(s)]


@router.post("/alerts/endpoints", summary="Tambah titik kirim")
def post_endpoint(request: Request, body: dict[str, Any], principal: Manager) -> dict[str, int]:
    with request.app.state.db.writer() as s, config_errors():
        return {"id": config.add_endpoint(s, principal, body).id}


@router.put("/me/alert-preferences", summary="Preferensi peringatan saya")
def put_preferences(request: Request, body: PreferencesIn, principal: Reader) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        pref = config.set_preferences(
            s,
            principal,
            telegram_chat_id=body.telegram_chat_id,
            channels=body.channels,
            digest_only=body.digest_only,
            addresses=body.addresses,
        )
        return config.preferences_dict(pref)
