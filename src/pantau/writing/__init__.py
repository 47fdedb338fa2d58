"""The writing desk: compose releases from facts, lint them against editors' rules, export them.

>>> from pantau.writing import lint
>>> [f.rule for f in lint("Silahkan datang.")]
['ejaan.baku']
"""

from pantau.writing.linter import RULES, fix, lint
from pantau.writing.model import KINDS, Draft, Finding, Severity
from pantau.writing.spelling import DictionaryMissing

__all__ = ["KINDS", "RULES", "DictionaryMissing", "Draft", "Finding", "Severity", "fix", "lint"]
