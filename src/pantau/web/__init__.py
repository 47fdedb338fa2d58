"""The web app: HTML pages (Jinja2 + htmx) and the JSON API (OpenAPI) on FastAPI."""

from pantau.web.app import ROUTERS, create_app

__all__ = ["ROUTERS", "create_app"]
