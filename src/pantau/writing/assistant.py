"""Optional writing assistant through any OpenAI-compatible chat endpoint, off by default.

An office may serve a model on its own machine (llama.cpp, vLLM, Ollama all speak the
``/chat/completions`` dialect) and name it in ``writing_assistant_url``. The assistant is never
needed: every feature works without it. Whatever it returns goes through the linter before a
person sees it, so a suggestion carries its own findings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from pantau.writing.linter import lint
from pantau.writing.model import Finding

__all__ = ["TASKS", "AssistantConfig", "AssistantError", "Suggestion", "assist"]

logger = logging.getLogger(__name__)

#: What the assistant can be asked, with the instruction sent as the system message.
TASKS: dict[str, str] = {
    "perbaiki": (
        "Anda penyunting siaran pers pemerintah daerah. Perbaiki ejaan (EYD V, KBBI), "
        "struktur piramida terbalik, dan kejelasan teks berikut tanpa menambah fakta baru. "
        "Pertahankan dateline, nama, jabatan, angka, dan kutipan. Jawab hanya dengan teks "
        "yang sudah diperbaiki."
    ),
    "ringkas": (
        "Anda penyunting siaran pers pemerintah daerah. Ringkas teks berikut menjadi paling "
        "banyak tiga paragraf pendek tanpa menambah fakta baru. Jawab hanya dengan teksnya."
    ),
    "lead": (
        "Anda penyunting siaran pers pemerintah daerah. Tulis ulang paragraf pembuka (lead) "
        "teks berikut: paling banyak tiga kalimat, 30-45 kata, menjawab apa, siapa, kapan, "
        "dan di mana. Jangan menambah fakta baru. Jawab hanya dengan lead-nya."
    ),
}
#: Low temperature: an editor wants the same correction twice, not variety.
TEMPERATURE = 0.2


class AssistantError(RuntimeError):
    """The assistant endpoint could not give a usable answer; the message says why."""


@dataclass(frozen=True)
class AssistantConfig:
    """Where and how to reach the endpoint."""

    url: str
    model: str = ""
    api_key: str = field(default="", repr=False)
    timeout: float = 60.0

    @classmethod
    def from_settings(cls, settings: Any) -> AssistantConfig | None:
        """The configured assistant, or ``None`` when ``writing_assistant_url`` is empty (off)."""
        url = str(settings.writing_assistant_url or "").strip()
        if not url:
            return None
        return cls(
            url=url,
            model=settings.writing_assistant_model,
            api_key=settings.writing_assistant_key,
            timeout=float(settings.writing_assistant_timeout),
        )

    @property
    def endpoint(self) -> str:
        """The chat-completions URL under the configured base URL."""
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


@dataclass(frozen=True)
class Suggestion:
    """The assistant's text and the linter's findings on it."""

    text: str
    findings: list[Finding]


def _content(payload: Any) -> str:
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError) as exc:
        raise AssistantError(
            "Jawaban asisten tidak berformat OpenAI (choices[0].message.content tidak ada)."
        ) from exc
    if not isinstance(content, str) or not content.strip():
        raise AssistantError("Asisten mengembalikan teks kosong.")
    return content.strip() + "\n"


def assist(
    text: str,
    task: str,
    config: AssistantConfig,
    *,
    kind: str | None = None,
    timezone: str = "Asia/Makassar",
    client: httpx.Client | None = None,
) -> Suggestion:
    """Ask the endpoint to do ``task`` on ``text``; the answer comes back linted."""
    if task not in TASKS:
        raise AssistantError(f"Tugas {task!r} tidak dikenal; pilih: {', '.join(TASKS)}.")
    body = {
        "model": config.model,
        "temperature": TEMPERATURE,
        "messages": [
            {"role": "system", "content": TASKS[task]},
            {"role": "user", "content": text},
        ],
    }
    headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
    own = client is None
    http = client or httpx.Client(timeout=config.timeout)
    try:
        response = http.post(config.endpoint, json=body, headers=headers)
        response.raise_for_status()
        payload = response.json()
    except httpx.HTTPStatusError as exc:
        raise AssistantError(
            f"Asisten menjawab HTTP {exc.response.status_code} dari {config.endpoint}."
        ) from exc
    except httpx.HTTPError as exc:
        raise AssistantError(f"Asisten di {config.endpoint} tidak dapat dihubungi: {exc}.") from exc
    except ValueError as exc:
        raise AssistantError("Jawaban asisten bukan JSON.") from exc
    finally:
        if own:
            http.close()
    answer = _content(payload)
    logger.info("assistant %s: %d -> %d characters", task, len(text), len(answer))
    return Suggestion(answer, lint(answer, kind=kind, timezone=timezone))
