"""``/api/docs``: the JSON API's Swagger UI, from pantau's own vendored copy.

FastAPI's built-in page loads Swagger UI from a CDN and starts it with an inline script; the
CSP forbids both (and an installation may have no internet), so this page serves the assets
from ``/static/vendor/swagger-ui`` (swagger-ui-dist 5.36.0, Apache-2.0, from the npm registry)
and starts them from ``/static/api-docs.js``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from pantau.web.rendering import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs(request: Request) -> HTMLResponse:
    """The interactive API reference, readable without logging in (the API itself asks)."""
    spec_url = request.app.openapi_url or "/api/openapi.json"
    return render(request, "api_docs.html", {"spec_url": spec_url})
