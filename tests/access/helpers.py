"""Shared steps of the access tests: a logged-in client with its CSRF header, a new token."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import AppEnv


def page_csrf(client: Any) -> str:
    """The CSRF token on the logged-in overview page."""
    page = client.get("/")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.status_code
    return found.group(1)


def logged_in(env: AppEnv, username: str) -> Any:
    """A client logged in as ``username`` through the form, sending its CSRF header."""
    c = env.client()
    assert env.login(c, username).status_code == 303
    c.headers["X-CSRF-Token"] = page_csrf(c)
    return c


def new_token(client: Any, scopes: list[str], name: str = "skrip") -> dict[str, Any]:
    """Create a token through the JSON API; the answer holds the secret."""
    resp = client.post("/api/v1/tokens", json={"name": name, "scopes": scopes, "days": 30})
    assert resp.status_code == 201, resp.text
    return dict(resp.json())


def bearer(made: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {made['token']}"}
