"""Every model module, imported so that ``Base.metadata`` knows all tables.

Stages that own tables keep their models in ``pantau/store/<stage>_models.py`` (sharing
:class:`pantau.store.models.Base`) and add one import line here; their migrations branch off
``0002`` in ``migrations/versions`` and ``Database.upgrade`` applies every head.
"""

from __future__ import annotations

import pantau.store.access_models
import pantau.store.learning_models
import pantau.store.models
import pantau.store.newsroom_models
import pantau.store.playbook_models
import pantau.store.privacy_models
import pantau.store.reports_models
import pantau.store.search_models
import pantau.store.workflow_models
import pantau.store.writing_models  # noqa: F401
from pantau.store.models import Base

__all__ = ["Base"]
