"""The writing desk: compose releases from facts, lint them against editors' rules, export them.

>>> from pantau.writing import lint
>>> [f.rule for f in lint("Silahkan datang.")]
['ejaan.baku']
>>> len(RULES) >= 20
True
"""

from pantau.writing.assistant import AssistantConfig, AssistantError, Suggestion, assist
from pantau.writing.composer import EXAMPLE_FIELDS, ComposeError, Contact, Fields, Quote, compose
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
    "fix",
    "lint",
    "to_docx",
    "to_html",
    "to_pdf",
    "to_text",
]
