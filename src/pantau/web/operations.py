"""Operations endpoints: ``/metrics`` (Prometheus text) and ``/readyz`` (ready for traffic?).

``/healthz`` (in :mod:`pantau.web.app`) stays a liveness check. ``/readyz`` answers 503 with its
reasons when the store cannot be read or the oldest mention has waited for analysis longer
than ``ready_max_lag``. ``/metrics`` is for an admin's API token with the ``metrics`` scope (or
an admin's session), or for a loopback client when ``metrics_loopback`` is on; a request that
came through a proxy (it carries ``X-Forwarded-For``, ``Forwarded`` or ``X-Real-IP``) is not
loopback even when the proxy is.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Iterable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from pantau import __version__
from pantau.store.vitals import Vitals, database_ok, read_vitals
from pantau.web.security import NotLoggedIn, guard

__all__ = ["prometheus_text", "router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _family(
    name: str, kind: str, help_: str, samples: Iterable[tuple[dict[str, str], float]]
) -> list[str]:
    lines = [f"# HELP {name} {help_}", f"# TYPE {name} {kind}"]
    for labels, value in samples:
        tags = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
        lines.append(f"{name}{{{tags}}} {value:g}" if tags else f"{name} {value:g}")
    return lines


def prometheus_text(v: Vitals, scrape_seconds: float) -> str:
    """The Prometheus text exposition (format 0.0.4) of one reading.

    >>> from datetime import datetime, UTC
    >>> text = prometheus_text(Vitals(at=datetime.now(UTC), pending=3), 0.0)
    >>> [line for line in text.splitlines() if line.startswith("pantau_analysis")]
    ['pantau_analysis_queue_depth 3']
    """
    out = [
        *_family("pantau_up", "gauge", "The store answered this scrape.", [({}, 1)]),
        *_family(
            "pantau_build_info", "gauge", "The running version.", [({"version": __version__}, 1)]
        ),
        *_family(
            "pantau_mentions_stored_total",
            "counter",
            "Mentions stored; rate() of it is the ingest rate.",
            [({}, v.mentions)],
        ),
        *_family(
            "pantau_analysis_queue_depth",
            "gauge",
            "Mentions stored but not analyzed yet.",
            [({}, v.pending)],
        ),
        *_family(
            "pantau_pipeline_lag_seconds",
            "gauge",
            "Age of the oldest mention waiting for analysis (0 when none waits).",
            [({}, round(v.lag_seconds, 3))],
        ),
        *_family(
            "pantau_alert_deliveries",
            "gauge",
            "Alert deliveries in the outbox by state (pending, sent, dead, held, digested).",
            [({"state": k}, n) for k, n in sorted(v.deliveries.items())],
        ),
        *_family(
            "pantau_quarantine_records",
            "gauge",
            "Records that failed validation, by whether a retry resolved them.",
            [
                ({"state": "open"}, v.quarantine_open),
                ({"state": "resolved"}, v.quarantined - v.quarantine_open),
            ],
        ),
        *_family(
            "pantau_sources",
            "gauge",
            "Configured sources by health.",
            [({"health": k}, n) for k, n in sorted(v.sources.items())],
        ),
        *_family(
            "pantau_source_errors",
            "gauge",
            "Sum of the sources' current streaks of failed polls.",
            [({}, v.source_errors)],
        ),
        *_family(
            "pantau_login_failures_recent",
            "gauge",
            "Failed logins in the last 15 minutes (a guessing attack shows here).",
            [({}, v.login_failures)],
        ),
        *_family(
            "pantau_scrape_duration_seconds",
            "gauge",
            "Seconds this reading took.",
            [({}, round(scrape_seconds, 4))],
        ),
    ]
    return "\n".join(out) + "\n"


def _loopback(request: Request) -> bool:
    if any(h in request.headers for h in _PROXY_HEADERS):
        return False
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """The vital signs in Prometheus text format (token, admin session or loopback)."""
    settings = request.app.state.settings
    token = getattr(request.state, "grant", None)
    if token is not None or not (settings.metrics_loopback and _loopback(request)):
        try:
            await guard("metrics.view")(request)
        except NotLoggedIn:
            return PlainTextResponse(
                "Perlu token API bercakupan 'metrics' (Authorization: Bearer ...).",
                401,
                headers={"WWW-Authenticate": "Bearer"},
            )
    started = time.perf_counter()
    with request.app.state.db.session() as s:
        vitals = read_vitals(s)
    body = prometheus_text(vitals, time.perf_counter() - started)
    return Response(body, media_type=PROMETHEUS_TYPE)


@router.get("/readyz")
def readyz(request: Request) -> Response:
    """200 when the store answers and the pipeline keeps up; else 503 with the reasons."""
    limit = request.app.state.settings.ready_max_lag
    reasons: list[str] = []
    vitals = None
    try:
        with request.app.state.db.session() as s:
            database_ok(s)
            vitals = read_vitals(s)
    except SQLAlchemyError as exc:
        logger.warning("readiness: the store does not answer: %s", exc)
        reasons.append(f"database: {type(exc).__name__}")
    if vitals is not None and vitals.lag_seconds > limit:
        reasons.append(
            f"pipeline lag {vitals.lag_seconds:.0f} s > {limit} s "
            f"({vitals.pending} mentions waiting)"
        )
    body = {
        "status": "not ready" if reasons else "ready",
        "reasons": reasons,
        "lag_seconds": round(vitals.lag_seconds, 1) if vitals else None,
        "queue": vitals.pending if vitals else None,
    }
    return JSONResponse(body, status_code=503 if reasons else 200)
