"""The keys that seal personal data and hash it for lookups, both derived from the secret key.

Two keys come out of the app's secret key through HKDF-SHA256 with their own labels, so that
neither can stand in for the other or for the cookie-signing use of the same secret: a Fernet
key (AES-128-CBC + HMAC-SHA256, authenticated) that seals each original, and an HMAC-SHA256 key
whose digests of ``kind:normalized value`` let ``pantau pdp find`` match one person's data
without decrypting every row. A plain hash would not do: a NIK has under 10^12 plausible values
and a phone number fewer, so unkeyed digests fall to enumeration in minutes.

Changing the secret key makes the sealed originals unreadable (they then stay masked for good).

>>> vault = Vault("k" * 48)
>>> vault.open(vault.seal("0812-3456-5678"))
'0812-3456-5678'
>>> vault.digest("phone", "0812 3456 5678") == vault.digest("phone", "+62 812-3456-5678")
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pantau.text.personal import normalize_value

__all__ = ["Vault", "VaultError"]

_SEAL_LABEL = b"pantau personal-data seal v1"
_LOOKUP_LABEL = b"pantau personal-data lookup v1"


class VaultError(ValueError):
    """A sealed value cannot be opened: the secret key changed or the row was tampered with."""


def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(
        secret.encode("utf-8")
    )


class Vault:
    """Seal, open and hash personal data with keys derived from ``secret``."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise VaultError("personal data needs the secret key: run `pantau init` first")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, _SEAL_LABEL)))
        self._lookup = _derive(secret, _LOOKUP_LABEL)

    def seal(self, value: str) -> str:
        """``value`` encrypted and authenticated, as text."""
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        """The value sealed in ``token``."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError) as exc:
            raise VaultError("data pribadi tidak dapat dibuka: kunci rahasia berubah?") from exc

    def digest(self, kind: str, value: str) -> str:
        """The keyed hash that finds ``value`` of ``kind`` however it was written."""
        message = f"{kind}:{normalize_value(kind, value)}".encode()
        return hmac.new(self._lookup, message, hashlib.sha256).hexdigest()
