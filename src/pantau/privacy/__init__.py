"""Citizens' personal data (UU PDP 27/2022): masked where stored and shown, sealed originals
for the few allowed to see them, retention, and erasure on request.

- :class:`Vault`: seals originals (Fernet) and hashes them for lookup (HMAC), keyed by the
  app's secret key; :func:`attach` gives a store's sessions the vault;
- :func:`mask_fields` / :func:`seal`: what the ingest sink calls as it stores mentions;
  :func:`protect_stored` masks mentions stored before; :func:`reveal` shows the originals;
- :mod:`pantau.workflow.disclosure` (above the stages): ``pii.view`` and the audit of each
  unmasked view;
- ``retention``: ``pii_retention_days``, run by ``pantau pdp expire`` and ``pantau run``;
- ``erasure``: ``pantau pdp find`` / ``erase`` for one person's NIK, phone or e-mail.
"""

from pantau.privacy.sealing import (
    Piece,
    Revealed,
    attach,
    is_protected,
    mask_fields,
    protect_once,
    protect_stored,
    reveal,
    seal,
    vault_of,
)
from pantau.privacy.vault import Vault, VaultError

__all__ = [
    "Piece",
    "Revealed",
    "Vault",
    "VaultError",
    "attach",
    "is_protected",
    "mask_fields",
    "protect_once",
    "protect_stored",
    "reveal",
    "seal",
    "vault_of",
]
