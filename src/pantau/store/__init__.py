"""The store: models, migrations, sessions, region codes, seeding, full-text search."""

from pantau.store.db import Database, StoreError
from pantau.store.models import (
    AGENCY_LEVELS,
    ROLES,
    Agency,
    AgencyRegion,
    Alert,
    AuditEntry,
    Base,
    Issue,
    LoginFailure,
    Mention,
    Quarantine,
    Region,
    Source,
    User,
    Watchlist,
)

__all__ = [
    "AGENCY_LEVELS",
    "ROLES",
    "Agency",
    "AgencyRegion",
    "Alert",
    "AuditEntry",
    "Base",
    "Database",
    "Issue",
    "LoginFailure",
    "Mention",
    "Quarantine",
    "Region",
    "Source",
    "StoreError",
    "User",
    "Watchlist",
]
