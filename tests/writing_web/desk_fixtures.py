"""Shared helpers of the writing-desk web tests: an issue of an agency and complete facts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from pantau.store import Agency, Issue
from pantau.writing import example_fields
from tests.conftest import AppEnv

SAMARINDA = "Diskominfo Samarinda"
HOSTILE = '<script>alert("x")</script> Banjir <img src=x onerror=alert(1)>'


def add_issue(
    env: AppEnv,
    *,
    label: str = "Banjir Sempaja Rendam Ratusan Rumah",
    agency: str | None = SAMARINDA,
) -> int:
    """An issue owned by ``agency`` (short name), in Samarinda, seen on 20 November 2026."""
    with env.db.writer() as s:
        agency_id = (
            s.scalar(select(Agency.id).where(Agency.short_name == agency)) if agency else None
        )
        issue = Issue(
            label=label,
            size=12,
            stage="emerging",
            risk=55.0,
            regions=[{"code": "64.72", "name": "Kota Samarinda", "count": 12}],
            key_phrases=["banjir", "sempaja"],
            first_seen=datetime(2026, 11, 20, 1, tzinfo=UTC),
            last_seen=datetime(2026, 11, 20, 2, tzinfo=UTC),
            agency_id=agency_id,
        )
        s.add(issue)
        s.flush()
        return issue.id


def complete_facts(kind: str = "siaran_pers") -> dict[str, Any]:
    """A complete set of facts, in the API's JSON shape."""
    return example_fields(kind)


def form_of(facts: dict[str, Any], kind: str = "siaran_pers") -> dict[str, str]:
    """The composer form a person fills for ``facts``."""
    form: dict[str, str] = {"kind": kind}
    for key, value in facts.items():
        if key == "quotes":
            for i, q in enumerate(value, 1):
                for part in ("text", "speaker", "position"):
                    form[f"quote{i}_{part}"] = q[part]
        elif key == "contact":
            for part, v in value.items():
                form[f"contact_{part}"] = v
        elif isinstance(value, list):
            form[key] = "\n".join(value)
        elif key in ("when", "embargo", "next_update"):
            form[key] = value[:16]  # datetime-local: local time, no offset
        else:
            form[key] = value
    return form


def logged_in(env: AppEnv, username: str):  # type: ignore[no-untyped-def]
    """A client logged in as ``username`` and its CSRF token."""
    client = env.client()
    env.login(client, username)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/tulis").text)
    assert token is not None
    return client, token.group(1)
