"""A real HTTP server on 127.0.0.1 for ingest tests: routes, hit counts, ETags, big bodies."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = True  # send ETag / Last-Modified and honour them
    stream: Callable[[], Iterator[bytes]] | None = None  # chunked body (no Content-Length)
    gzip: bool = False
    delay: float = 0.0  # seconds before answering (a slow regional server)
    gate: threading.Event | None = None  # answer only once the test opens it (at most 60 s)


class NewsServer:
    """Serves ``routes``; ``hits`` counts requests per path (full bodies only in ``served``)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.served: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def handle(self) -> None:
                # the fetcher hangs up on purpose when it cuts a body off
                with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                    super().handle()

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                server.hits[path] += 1
                route = server.routes.get(path)
                if route is None:
                    self._send(404, b"tidak ditemukan", "text/plain", {})
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.gate is not None:
                    route.gate.wait(60)
                headers = dict(route.headers)
                if route.conditional and route.status == 200 and route.stream is None:
                    etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                    headers["ETag"] = etag
                    headers["Last-Modified"] = "Tue, 24 Sep 2024 06:05:00 GMT"
                    if self.headers.get("If-None-Match") == etag:
                        self._send(304, b"", route.content_type, headers)
                        return
                if route.stream is not None:
                    self._stream(route)
                    return
                body = gzip.compress(route.body) if route.gzip else route.body
                if route.gzip:
                    headers["Content-Encoding"] = "gzip"
                server.served[path] += 1
                self._send(route.status, body, route.content_type, headers)

            def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if status != 304:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(body)

            def _stream(self, route: Route) -> None:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Transfer-Encoding", "chunked")
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                assert route.stream is not None
                try:
                    for chunk in route.stream():
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> NewsServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
