"""The writing desk: compose releases from facts, lint them against editors' rules, export them.

Everything here but :mod:`~pantau.writing.desk` (documents and versions in the store, with their
permission checks and audit entries) is pure and store-free; the web editor wires it as follows:

- draft: ``compose(kind, fields, templates_dir=settings.writing_templates_dir,
  timezone=settings.timezone)`` -> :class:`Draft` (fields from a form or an issue);
- live findings (htmx, on input): ``annotate_html(text, lint(text, timezone=...))`` for the marked
  text and ``[f.to_dict() for f in lint(...)]`` for a list; "perbaiki otomatis" is ``fix``;
- versions and review: :class:`Manuscript` (``edit``, ``transition``) stored by the caller with
  its ``issue_id``; approval refuses a version with error-level findings;
- export: ``EXPORTERS[fmt](draft_or_text)`` -> bytes for ``text``, ``html``, ``pdf``, ``docx``;
- assistant: ``AssistantConfig.from_settings(settings)`` is ``None`` unless configured; then
  ``assist(text, task, config)`` returns the answer with its findings.

>>> from pantau.writing import lint
>>> [f.rule for f in lint("Silahkan datang.")]
['ejaan.baku']
>>> len(RULES) >= 20
True
"""

from pantau.writing.assistant import AssistantConfig, AssistantError, Suggestion, assist
from pantau.writing.composer import (
    EXAMPLE_FIELDS,
    ComposeError,
    Contact,
    Fields,
    Quote,
    compose,
    example_fields,
)
from pantau.writing.export import EXPORTERS, to_docx, to_html, to_pdf, to_text
from pantau.writing.highlight import annotate_html
from pantau.writing.linter import RULES, Rule, fix, lint, load_rules
from pantau.writing.model import KINDS, Draft, Finding, Severity
from pantau.writing.review import Manuscript, ReviewError, ReviewStatus, Version
from pantau.writing.spelling import DictionaryMissing

load_rules()  # register the built-in rules so that RULES lists them from the start

__all__ = [
    "EXAMPLE_FIELDS",
    "EXPORTERS",
    "KINDS",
    "RULES",
    "AssistantConfig",
    "AssistantError",
    "ComposeError",
    "Contact",
    "DictionaryMissing",
    "Draft",
    "Fields",
    "Finding",
    "Manuscript",
    "Quote",
    "ReviewError",
    "ReviewStatus",
    "Rule",
    "Severity",
    "Suggestion",
    "Version",
    "annotate_html",
    "assist",
    "compose",
    "example_fields",
    "fix",
    "lint",
    "to_docx",
    "to_html",
    "to_pdf",
    "to_text",
]
