"""Error pages: HTML for people, JSON under ``/api/`` for programs, in the reader's language.

An unknown URL or a query value that cannot be read (``/search?page=abc``) gets the site's error
page saying what was wrong; the JSON API keeps its ``{"detail": ...}`` bodies for clients.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from pantau.i18n import translations
from pantau.web.rendering import locale_of, render

__all__ = ["install_error_pages", "problems_of"]

API_PREFIX = "/api/"
#: Where FastAPI says a value came from; people know the name of the field only.
LOCATIONS = frozenset({"query", "path", "body", "header", "cookie"})


def problems_of(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Each unreadable field as ``{field, error}``, as the JSON API reports them."""
    return [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "error": err.get("msg")}
        for err in exc.errors()
    ]


def _explain(exc: RequestValidationError, request: Request, lang: str) -> str:
    """One sentence per unreadable field, naming it and the value given: ``page = 'abc': ...``."""
    _ = translations(lang).gettext
    given = request.query_params
    lines = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        field = ".".join(loc[1:] if len(loc) > 1 and loc[0] in LOCATIONS else loc)
        reason = _reason(str(err.get("type")), str(err.get("msg")), lang)
        shown = f"{field} = {given[field]!r}" if field in given else field
        lines.append(f"{shown}: {reason}")
    return _("The address holds a value that cannot be read:") + " " + "; ".join(lines)


def _reason(kind: str, fallback: str, lang: str) -> str:
    _ = translations(lang).gettext
    reasons = {
        "int_parsing": _("a whole number is expected, such as 2"),
        "float_parsing": _("a number is expected, such as 2.5"),
        "missing": _("this field is required"),
        "greater_than_equal": _("the value is too small"),
        "less_than_equal": _("the value is too large"),
    }
    return reasons.get(kind, fallback)


def install_error_pages(app: FastAPI) -> None:
    """Register the 404 and unreadable-input handlers on ``app``."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith(API_PREFIX) or exc.status_code not in (404, 405):
            return await http_exception_handler(request, exc)
        _ = translations(locale_of(request)).gettext
        message = (
            _("This page does not exist. Check the address or start again from the overview.")
            if exc.status_code == 404
            else _("This page cannot be used this way.")
        )
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "message": message},
            status=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith(API_PREFIX):
            return JSONResponse(
                {"detail": "Masukan tidak valid.", "problems": problems_of(exc)}, 422
            )
        message = _explain(exc, request, locale_of(request))
        return render(request, "error.html", {"status": 422, "message": message}, status=422)
