"""The key that signs session cookies: from the environment, or generated once into data_dir."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from pantau.settings import Settings

__all__ = ["KEY_FILE", "load_secret_key"]

logger = logging.getLogger(__name__)
KEY_FILE = "secret_key"


def load_secret_key(settings: Settings, *, create: bool = True) -> str:
    """``PANTAU_SECRET_KEY`` if set, else the key file in ``data_dir`` (made on first use)."""
    if settings.secret_key:
        return str(settings.secret_key)
    path = Path(settings.data_dir) / KEY_FILE
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) < 32:
            raise ValueError(
                f"{path}: kunci rahasia terlalu pendek; hapus berkas ini atau "
                "setel PANTAU_SECRET_KEY"
            )
        return key
    if not create:
        raise ValueError(f"kunci rahasia belum ada di {path}: jalankan `pantau init` dahulu")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    logger.info("generated a new secret key in %s", path)
    return key
