"""Jinja2 rendering with autoescape, the request's language and Indonesian formatting."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from pantau.i18n import LOCALES, format_dt, format_number, translations
from pantau.store.search import HIT_END, HIT_START
from pantau.text.personal import mask
from pantau.web.action_words import action_word
from pantau.web.reasons import reason_text
from pantau.workflow.following import unread_count
from pantau.workflow.permissions import allowed

__all__ = ["highlight", "locale_of", "masked_text", "render", "templates", "unread_notifications"]

#: Folders searched for templates, first match wins; stages with pages add theirs.
TEMPLATE_PACKAGES: list[str] = ["pantau.web"]


@cache
def templates() -> Environment:
    dirs = [str(resources.files(pkg).joinpath("templates")) for pkg in TEMPLATE_PACKAGES]
    env = Environment(
        loader=FileSystemLoader(dirs),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["num"] = _num
    env.filters["mask_personal"] = masked_text
    return env


def masked_text(text: str | None) -> str:
    """``text`` with citizens' personal data masked, for raw records shown as they came (the
    quarantine), which never went through the store's masking."""
    return mask(text or "")[0]


@pass_context
def _num(ctx: Context, value: float | int | None, digits: int = 0) -> str:
    """``{{ n|num }}``, ``{{ hours|num(1) }}``: a number as the page's language writes it."""
    if value is None:
        return "-"
    return format_number(value, str(ctx.get("lang") or "id"), digits)


def highlight(snippet: str | None) -> Markup:
    """Escape a search snippet completely, then mark its hits (hostile text stays text)."""
    safe = str(escape(snippet or ""))
    return Markup(safe.replace(HIT_START, "<mark>").replace(HIT_END, "</mark>"))  # noqa: S704 (escaped above)


def locale_of(request: Request) -> str:
    session = getattr(request.state, "session", None)
    lang = getattr(session, "lang", None)
    if lang in LOCALES:
        return str(lang)
    return str(request.app.state.settings.locale)


def unread_notifications(request: Request) -> int:
    """The logged-in user's unread notifications, for the badge in the navigation."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        return 0
    with request.app.state.db.session() as s:
        return unread_count(s, principal.id)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    settings = request.app.state.settings
    lang = locale_of(request)
    tz = settings.timezone
    trans = translations(lang)
    session = getattr(request.state, "session", None)

    def dt(value: Any, weekday: bool = True) -> str:
        return format_dt(value, tz, lang, weekday=weekday)

    ctx: dict[str, Any] = {
        "request": request,
        "_": trans.gettext,
        "lang": lang,
        "dt": dt,
        "csrf_token": session.csrf if session else "",
        "principal": getattr(request.state, "principal", None),
        "settings": settings,
        "path": request.url.path,
        "reason_text": lambda comp: reason_text(comp, lang),
        "action_word": lambda kind, fallback=None: action_word(kind, lang, fallback),
        # called by the navigation only, so fragments (htmx panels) cost no query
        "unread_count": lambda: unread_notifications(request),
        "allowed": allowed,
    }
    ctx.update(context or {})
    html = templates().get_template(name).render(ctx)
    return HTMLResponse(html, status_code=status)
