"""The optional assistant against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from pantau.settings import Settings
from pantau.writing.assistant import AssistantConfig, AssistantError, assist

ANSWER = (
    "Posko Banjir Dibuka\n"
    "SAMARINDA - Pemerintah Kota Samarinda membuka posko banjir di Sempaja, Selasa (24/9/2024).\n"
    "Warga silahkan melapor ke posko.\n"
)


class FakeModel(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions like an OpenAI-compatible server; records requests."""

    requests: ClassVar[list[dict[str, Any]]] = []
    mode: ClassVar[str] = "ok"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length))
        FakeModel.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
        )
        if FakeModel.mode == "error":
            self.send_response(503)
            self.end_headers()
            return
        payload: bytes
        if FakeModel.mode == "garbage":
            payload = b"<html>bukan json</html>"
        elif FakeModel.mode == "empty":
            payload = json.dumps({"choices": []}).encode()
        else:
            answer = {"choices": [{"message": {"role": "assistant", "content": ANSWER}}]}
            payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return


@pytest.fixture
def server() -> Iterator[str]:
    FakeModel.requests = []
    FakeModel.mode = "ok"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_assistant_is_off_by_default() -> None:
    assert AssistantConfig.from_settings(Settings.from_env({})) is None


def test_assistant_answer_is_always_linted(server: str) -> None:
    settings = Settings.from_env(
        {
            "PANTAU_WRITING_ASSISTANT_URL": server,
            "PANTAU_WRITING_ASSISTANT_MODEL": "lokal-7b",
            "PANTAU_WRITING_ASSISTANT_KEY": "rahasia",
        }
    )
    config = AssistantConfig.from_settings(settings)
    assert config is not None and "rahasia" not in repr(config)
    result = assist("teks asli", "perbaiki", config)
    assert result.text == ANSWER
    assert [f.rule for f in result.findings] == ["ejaan.baku"]  # "silahkan" in the answer
    request = FakeModel.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer rahasia"
    assert request["body"]["model"] == "lokal-7b"
    assert request["body"]["messages"][-1] == {"role": "user", "content": "teks asli"}


@pytest.mark.parametrize(
    ("mode", "message"),
    [("error", "HTTP 503"), ("garbage", "bukan JSON"), ("empty", "format OpenAI")],
)
def test_assistant_failures_are_explained(server: str, mode: str, message: str) -> None:
    FakeModel.mode = mode
    with pytest.raises(AssistantError, match=message):
        assist("teks", "ringkas", AssistantConfig(url=server))


def test_unreachable_assistant_and_unknown_task(server: str) -> None:
    with pytest.raises(AssistantError, match="tidak dapat dihubungi"):
        assist("teks", "lead", AssistantConfig(url="http://127.0.0.1:9/v1", timeout=2.0))
    with pytest.raises(AssistantError, match="tidak dikenal"):
        assist("teks", "puisi", AssistantConfig(url=server))
    assert FakeModel.requests == []
