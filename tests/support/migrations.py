"""Taking a test store up to just below one migration, to check what that migration does."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory

from pantau.store import Database


def upgrade_below(db: Database, migration: str) -> None:
    """Apply every migration but ``migration`` and those that come after it."""
    cfg = db.alembic_config()
    script = ScriptDirectory.from_config(cfg)
    later = {migration, *(r.revision for r in script.iterate_revisions("heads", migration))}
    for revision in script.walk_revisions():
        if revision.revision not in later:
            command.upgrade(cfg, revision.revision)
