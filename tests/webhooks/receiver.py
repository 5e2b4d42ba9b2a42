"""A real HTTP receiver for webhook tests: a ``http.server`` in a thread of the test.

Each request is recorded (headers, body); the answers follow ``plan``, a list
of ``(status, seconds to sleep first)`` taken in order, then 200 at once.
"""

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    plan: list = field(default_factory=list)
    requests: list = field(default_factory=list)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def answer(self):
        with self.server.lock:
            return self.plan.pop(0) if self.plan else (200, 0)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        receiver = self.server.receiver
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
        status, sleep = receiver.answer()
        if sleep:
            time.sleep(sleep)
        reply = b'{"ok": true}' if status < 300 else b"receiver says no"
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender gave up waiting (a timeout test)

    def log_message(self, format, *args):
        pass


def receiver_start():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    receiver = Receiver(server)
    server.receiver = receiver
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return receiver


def documented_signature(secret, headers, body):
    """The check README's snippet makes: HMAC-SHA256(secret, f"{timestamp}.{body}")."""
    message = headers["X-Tilmash-Timestamp"].encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
