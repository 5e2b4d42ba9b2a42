"""A provider's HTTP API faked on 127.0.0.1 for one test: it records each request and
answers from a script (status, headers, JSON body), or hangs to make the client time out.

The fixtures also refuse any connection that is not to this machine, forget the
breakers and DeepL glossary ids between tests, and record backoff delays instead
of sleeping them.
"""

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

HANG = object()


@dataclass
class Received:
    method: str
    path: str
    query: dict
    headers: dict  # names lower-cased
    raw: bytes
    json: object = None
    form: dict = field(default_factory=dict)


class FakeService:
    def __init__(self):
        self.received = []
        self.script = []
        self.released = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, status=200, body=None, headers=None):
        """Queue one answer (a JSON body unless ``body`` is bytes)."""
        self.script.append((status, body, headers or {}))
        return self

    def hang(self):
        self.script.append(HANG)
        return self

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                received = Received(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    raw=raw,
                )
                content_type = self.headers.get("Content-Type", "")
                if raw and "json" in content_type:
                    received.json = json.loads(raw)
                elif raw and "form" in content_type:
                    received.form = parse_qs(raw.decode())
                service.received.append(received)
                step = service.script.pop(0) if service.script else (
                    599, {"error": "the test scripted no answer for this request"}, {})
                if step is HANG:
                    service.released.wait(10)
                    return
                status, body, headers = step
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                if not isinstance(body, bytes):
                    self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _serve

        return Handler

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service():
    fake = FakeService().start()
    yield fake
    fake.stop()


@pytest.fixture
def loopback_only(monkeypatch):
    """Any connection to another machine fails the test (even where the provider turns the
    error into a message): no network in tests."""
    connect = socket.socket.connect
    refused = []

    def guarded(sock, address):
        remote = sock.family in (socket.AF_INET, socket.AF_INET6)
        if remote and address[0] not in ("127.0.0.1", "::1"):
            refused.append(address)
            raise AssertionError(f"a machine translation test tried to reach {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield
    assert not refused, f"tried to reach {refused}"


@pytest.fixture
def fresh_providers():
    from aids.mt import deepl as deepl_provider
    from aids.mt.resilience import breakers_reset

    breakers_reset()
    deepl_provider.glossaries_forget()
    yield
    breakers_reset()
    deepl_provider.glossaries_forget()


@pytest.fixture
def slept(monkeypatch):
    """The delays the retries asked for, in order (nothing actually waits)."""
    delays = []
    monkeypatch.setattr("aids.mt.resilience.sleep", delays.append)
    return delays
