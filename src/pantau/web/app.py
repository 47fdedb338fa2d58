"""The FastAPI application: HTML pages, the JSON API under /api/v1, static files, /healthz."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from pantau import __version__
from pantau.privacy import attach
from pantau.settings import Settings, get_settings
from pantau.store.db import Database
from pantau.web.errors import install_error_pages
from pantau.web.input_guard import StorableInputMiddleware
from pantau.web.rendering import render
from pantau.web.security import AccessMiddleware, NotLoggedIn
from pantau.workflow.logins import PasswordGate
from pantau.workflow.permissions import PermissionDenied

__all__ = ["ROUTERS", "create_app"]

logger = logging.getLogger(__name__)

#: Modules whose ``router`` (an APIRouter) is mounted on the app; stages add theirs here.
ROUTERS: tuple[str, ...] = (
    "pantau.web.dashboard_pages",
    "pantau.web.analysis_pages",
    "pantau.web.report_pages",
    "pantau.web.pages",
    "pantau.web.search_pages",
    "pantau.web.api",
    "pantau.web.api_docs",
    "pantau.web.api_ingest",
    "pantau.web.ingest_pages",
    "pantau.web.workflow_pages",
    "pantau.web.api_workflow",
    "pantau.web.api_admin",
    "pantau.web.api_corrections",
    "pantau.web.correction_pages",
    "pantau.web.admin_pages",
    "pantau.web.api_alerts",
    "pantau.web.alert_pages",
    "pantau.web.cases_pages",
    "pantau.web.api_cases",
    "pantau.web.playbook_pages",
    "pantau.web.narrative_pages",
    "pantau.web.ledger_pages",
    "pantau.web.writing_pages",
    "pantau.web.writing_api",
    "pantau.web.api_access",
    "pantau.web.operations",
    "pantau.web.newsroom_pages",
    "pantau.web.newsroom_admin",
    "pantau.web.media_pages",
    "pantau.web.invitation_pages",
)


def _static_dir() -> Path:
    return Path(str(resources.files("pantau.web").joinpath("static")))


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """Build the app for ``settings`` (from the environment by default) and its store."""
    import importlib

    settings = settings or get_settings()
    if not settings.secret_key:
        from pantau.secret_key import load_secret_key

        settings = settings.replace(secret_key=load_secret_key(settings))
    db = db or Database(settings.database_url)
    attach(db, settings)
    app = FastAPI(
        title="pantau API",
        version=__version__,
        description="API JSON pantau: isu, sebutan (mentions), dan pemantauan.",
        docs_url=None,  # pantau.web.api_docs serves it from the vendored Swagger UI
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.db = db
    app.state.password_gate = PasswordGate(settings.login_hash_concurrency)

    app.mount("/static", StaticFiles(directory=_static_dir()), name="static")
    for name in ROUTERS:
        app.include_router(importlib.import_module(name).router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        with db.session() as s:
            s.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, exc: NotLoggedIn) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "Perlu masuk (login) terlebih dahulu."}, 401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(PermissionDenied)
    async def denied(request: Request, exc: PermissionDenied) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, 403)
        return render(request, "error.html", {"status": 403, "message": str(exc)}, status=403)

    install_error_pages(app)

    app.add_middleware(StorableInputMiddleware)  # inside CSRF: a forged post is refused first
    app.add_middleware(AccessMiddleware, settings_getter=lambda: settings, db_getter=lambda: db)
    return app
