"""The optional writing assistant in the editor, against a fake OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import AppEnv
from tests.writing_web.desk_fixtures import complete_facts, logged_in

#: The fake model's answer: a misspelling for the linter, and markup that must stay text.
ANSWER = "Posko Dibuka\nSAMARINDA - Warga silahkan melapor <script>alert(1)</script>.\n"


class FakeModel(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions like an OpenAI-compatible server; remembers the requests."""

    seen: ClassVar[list[dict[str, object]]] = []
    status: ClassVar[int] = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        FakeModel.seen.append({"path": self.path, "body": body})
        payload = json.dumps({"choices": [{"message": {"content": ANSWER}}]}).encode()
        self.send_response(FakeModel.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return


@pytest.fixture
def model_url() -> Iterator[str]:
    FakeModel.seen, FakeModel.status = [], 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _document(env: AppEnv) -> int:
    client, token = logged_in(env, "rina")
    body = {"kind": "siaran_pers", "fields": complete_facts()}
    resp = client.post("/api/v1/documents", json=body, headers={"X-CSRF-Token": token})
    return int(resp.json()["id"])


def test_assistant_is_off_by_default(app_env: AppEnv) -> None:
    doc_id = _document(app_env)
    client, token = logged_in(app_env, "rina")
    assert 'id="ask-assistant"' not in client.get(f"/tulis/{doc_id}").text
    resp = client.post(
        f"/tulis/{doc_id}/asisten",
        data={"text": "Teks", "task": "perbaiki"},
        headers={"X-CSRF-Token": token},
    )
    assert resp.status_code == 404


@pytest.mark.slow
def test_assistant_answer_is_linted_escaped_and_only_saved_when_chosen(
    tmp_path: Path, seeded_db_file: Path, model_url: str
) -> None:
    env = AppEnv(tmp_path, seeded_db_file, writing_assistant_url=model_url)
    try:
        doc_id = _document(env)
        client, token = logged_in(env, "rina")
        assert 'id="ask-assistant"' in client.get(f"/tulis/{doc_id}").text
        ask = {"text": "Judul\r\nSAMARINDA - Teks asli.", "task": "perbaiki"}
        answer = client.post(
            f"/tulis/{doc_id}/asisten", data=ask, headers={"X-CSRF-Token": token}
        ).text
        assert 'data-rule="ejaan.baku"' in answer
        assert "<script>alert" not in answer and "&lt;script&gt;alert(1)&lt;/script&gt;" in answer
        sent = FakeModel.seen[0]
        assert sent["path"] == "/v1/chat/completions"
        assert sent["body"]["messages"][1]["content"] == "Judul\nSAMARINDA - Teks asli."  # type: ignore[index]
        assert client.get(f"/api/v1/documents/{doc_id}").json()["version"] == 1
        budi, btoken = logged_in(env, "budi")
        refused = budi.post(f"/tulis/{doc_id}/asisten", data=ask, headers={"X-CSRF-Token": btoken})
        assert refused.status_code == 403
        FakeModel.status = 503
        failed = client.post(f"/tulis/{doc_id}/asisten", data=ask, headers={"X-CSRF-Token": token})
        assert failed.status_code == 200 and "HTTP 503" in failed.text
    finally:
        env.db.dispose()
