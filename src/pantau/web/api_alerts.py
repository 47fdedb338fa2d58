"""The JSON API of alert administration: routing rules, endpoints, dead letters, preferences.

Every endpoint goes through :func:`pantau.web.security.guard`; the reading and the writing are
:mod:`pantau.alerts.config` and :mod:`pantau.alerts.outbox`, which validate and audit. Refusals
are 403, bad configuration 422 naming the field, a resend of a delivery that is not dead 404.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from pantau.alerts import config
from pantau.alerts.channels import DeliveryError, load_channel
from pantau.alerts.config import ConfigError
from pantau.alerts.outbox import dead_letters, resend
from pantau.alerts.records import OutMessage
from pantau.store.workflow_models import AlertEndpoint
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


class RuleIn(BaseModel):
    """A routing rule: conditions on the alert, then an audience and channels (empty = any)."""

    name: str = Field(max_length=120, examples=["PUPR: jalan rusak di atas risiko 40"])
    min_risk: float = Field(0.0, description="0-100")
    stages: list[str] = Field(default_factory=list, examples=[["emerging", "crisis"]])
    regions: list[str] = Field(default_factory=list, examples=[["64.72"]])
    watchlists: list[str] = Field(default_factory=list)
    mention_channels: list[str] = Field(default_factory=list)
    crossover_only: bool = False
    audience: str = Field("mandated", description="mandated, agency or all")
    agency_id: int | None = None
    roles: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=lambda: ["inapp"])
    endpoint_ids: list[int] = Field(default_factory=list)
    crisis: bool = False
    active: bool = True


class RuleOut(RuleIn):
    id: int


class EndpointIn(BaseModel):
    """A recipient that is not a person: a webhook URL, a Telegram group, a mailing list."""

    name: str = Field(max_length=120, examples=["Grup WA Humas Kaltim"])
    channel: str = Field(examples=["webhook"])
    address: str = Field(max_length=2_000, examples=["https://wa-gateway.kaltimprov.go.id/hook"])
    agency_id: int | None = None
    active: bool = True


class EndpointOut(EndpointIn):
    id: int


class TestSendOut(BaseModel):
    sent: bool
    error: str | None


@router.get("/alerts/rules", response_model=list[RuleOut], summary="Aturan perutean peringatan")
def get_rules(request: Request, principal: Manager) -> list[dict[str, Any]]:
    with request.app.state.db.session() as s:
        return [config.rule_dict(r) for r in config.rules(s)]


@router.post("/alerts/rules", response_model=RuleOut, summary="Tambah aturan perutean")
def post_rule(request: Request, body: RuleIn, principal: Manager) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        return config.rule_dict(config.add_rule(s, principal, body.model_dump()))


@router.put("/alerts/rules/{rule_id}", response_model=RuleOut, summary="Ubah aturan perutean")
def put_rule(request: Request, rule_id: int, body: RuleIn, principal: Manager) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        return config.rule_dict(config.save_rule(s, principal, body.model_dump(), rule_id))


@router.post(
    "/alerts/rules/{rule_id}/deactivate", response_model=RuleOut, summary="Nonaktifkan aturan"
)
def post_rule_off(request: Request, rule_id: int, principal: Manager) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        return config.rule_dict(config.deactivate_rule(s, principal, rule_id))


@router.get(
    "/alerts/endpoints",
    response_model=list[EndpointOut],
    summary="Titik kirim (webhook, grup Telegram)",
)
def get_endpoints(request: Request, principal: Manager) -> list[dict[str, Any]]:
    with request.app.state.db.session() as s:
        return [config.endpoint_dict(e) for e in config.endpoints(s)]


@router.post("/alerts/endpoints", response_model=EndpointOut, summary="Tambah titik kirim")
def post_endpoint(request: Request, body: EndpointIn, principal: Manager) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        return config.endpoint_dict(config.add_endpoint(s, principal, body.model_dump()))


@router.put(
    "/alerts/endpoints/{endpoint_id}", response_model=EndpointOut, summary="Ubah titik kirim"
)
def put_endpoint(
    request: Request, endpoint_id: int, body: EndpointIn, principal: Manager
) -> dict[str, Any]:
    with request.app.state.db.writer() as s, config_errors():
        ep = config.save_endpoint(s, principal, body.model_dump(), endpoint_id)
        return config.endpoint_dict(ep)


@router.post(
    "/alerts/endpoints/{endpoint_id}/test", response_model=TestSendOut, summary="Uji kirim"
)
def post_endpoint_test(request: Request, endpoint_id: int, principal: Manager) -> TestSendOut:
    """Send a test message to the endpoint now, through its channel (the outbox is skipped,
    so the answer says at once whether the address works)."""
    settings = request.app.state.settings
    with request.app.state.db.session() as s:
        ep = s.get(AlertEndpoint, endpoint_id)
        if ep is None:
            raise HTTPException(404, f"titik kirim #{endpoint_id} tidak ada")
        channel, address = ep.channel, ep.address
    message = OutMessage(
        key=f"test-{endpoint_id}-{secrets.token_hex(4)}",
        subject="[pantau] Uji kirim",
        body=f"Pesan uji dari pantau oleh {principal.username}: titik kirim ini berfungsi.",
        link=settings.public_url,
        payload={"type": "pantau.test", "endpoint_id": endpoint_id},
    )
    try:
        load_channel(channel, settings).send(message, address, None)
    except DeliveryError as exc:
        return TestSendOut(sent=False, error=str(exc))
    return TestSendOut(sent=True, error=None)


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
