"""Locale completeness: every message has both translations, and an English page carries no
Indonesian from code paths that build text (risk reasons, the action log, source health)."""

from __future__ import annotations

import html
import re
import string

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from pantau.ingest.health import Verdict
from pantau.issues.risk import _REASONS as RISK_TEXTS
from pantau.issues.risk import DEFAULT_WEIGHTS, risk_score
from pantau.web.action_words import ACTION_WORDS
from pantau.web.reasons import HEALTH_REASONS, REASONS
from pantau.workflow.statuses import ACTION_KINDS, SYSTEM_KINDS
from tests.conftest import ROOT, AppEnv

LOCALE_DIR = ROOT / "src" / "pantau" / "locale"


def _catalog(lang: str) -> dict[str, str]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return {str(m.id): str(m.string) for m in read_po(fh) if m.id}


def _used_messages() -> dict[str, str]:
    """Every message id the code and the templates use, with where it is used first."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    used: dict[str, str] = {}
    for path, line, message, *_ in extract_from_dir(
        str(ROOT), method_map, options_map, keywords={"_": None, "gettext": None}
    ):
        text = message[0] if isinstance(message, tuple) else message
        used.setdefault(str(text), f"{path}:{line}")
    return used


def test_every_message_is_translated_in_both_languages() -> None:
    used = _used_messages()
    assert len(used) > 300  # the extraction found the code and the templates
    for lang in ("id", "en"):
        catalog = _catalog(lang)
        untranslated = {m: where for m, where in used.items() if not catalog.get(m)}
        assert untranslated == {}, f"{lang}: no translation for {untranslated}"
        empty = [m for m, text in catalog.items() if not text.strip()]
        assert empty == [], f"{lang}: empty entries {empty}"


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_text_building_code_paths_have_a_message_for_each_kind() -> None:
    # a new risk component, action kind or health verdict must come with its words
    assert set(REASONS) == set(RISK_TEXTS)
    for name, template in REASONS.items():
        assert _fields(template) == _fields(RISK_TEXTS[name].replace(":.0%", "")), name
    assert set(ACTION_WORDS) == set(ACTION_KINDS) | set(SYSTEM_KINDS)
    assert set(HEALTH_REASONS) == {"failing", "silent", "low", "never"}
    assert Verdict("ok").details == []


#: Indonesian that code (not data) writes, which an English page must not show.
def _indonesian_phrases() -> list[str]:
    phrases = [*ACTION_KINDS.values(), *SYSTEM_KINDS.values()]
    phrases += ["kali gagal berturut-turut", "belum pernah berhasil diambil", "butir baru"]
    phrases += ["jangkauan sekitar", "sebutan bernada negatif", "sebutan", "Kata pencarian"]
    return phrases


def test_english_pages_carry_no_indonesian_from_code(sample_env: AppEnv) -> None:
    from pantau.store import Issue, Source

    banjir = sample_env.issue_ids["banjir"]  # type: ignore[attr-defined]
    _, reasons = risk_score(
        {"reach": 0.4, "negativity": 0.7, "volume": 0.5},
        {"reach": 55996, "negative_share": 0.684, "size": 12, "recent": 7},
        DEFAULT_WEIGHTS,
    )
    with sample_env.db.writer() as s:
        s.get(Issue, banjir).risk_components = {r["component"]: r for r in reasons}
        source = s.query(Source).order_by(Source.id).first()
        source.error_streak, source.last_error = 9, "HTTP 503"
    c = sample_env.client()
    sample_env.login(c, "koord")
    c.post("/lang", data={"lang": "en", "next": "/", "csrf_token": sample_env.csrf(c)})
    for op, data in [
        ("claim", {}),
        ("action", {"step": "aksi", "kind": "klarifikasi", "note": "-"}),
        ("action", {"step": "aksi", "kind": "cek_lapangan", "note": "-"}),
    ]:
        done = c.post(
            f"/issues/{banjir}/workflow/{op}", data={**data, "csrf_token": sample_env.csrf(c)}
        )
        assert done.status_code in (200, 303), (op, done.text[:300])
    found: dict[str, list[str]] = {}
    pages = ["/", f"/issues/{banjir}", f"/issues/{banjir}/workflow", "/sumber", "/issues"]
    pages += ["/search?q=banjir", '/search?q="banjir', "/reports", "/notifications"]
    for path in pages:
        text = html.unescape(re.sub(r"<[^>]+>", " ", c.get(path).text))
        # data stays as written: the sample's own Indonesian (issue labels, mention texts)
        text = re.sub(r"Banjir di Sempaja Samarinda[^|]*?laporan nomor \d+ dari \w+", " ", text)
        hits = [p for p in _indonesian_phrases() if p in text]
        if hits:
            found[path] = hits
    assert found == {}
    workflow = c.get(f"/issues/{banjir}/workflow").text
    assert "Clarification issued" in workflow and "Claimed" in workflow
    assert "9 failures in a row: HTTP 503" in c.get("/sumber").text
