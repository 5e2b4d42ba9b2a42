"""A feed server on 127.0.0.1 for each test: it serves the documents a test puts
under its paths, and can answer slowly or with more bytes than the cap."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_bytes(name):
    return (FIXTURES / name).read_bytes()


class FeedServer:
    def __init__(self):
        self.routes = {}  # path → (status, body, seconds to wait first)
        self.requests = []
        self.etag = ""  # answered with each document; If-None-Match it gets a 304
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def serve(self, path, body, status=200, delay=0):
        self.routes[path] = (status, body, delay)
        return self.url(path)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.path)
                status, body, delay = server.routes.get(self.path, (404, b"", 0))
                if delay:
                    time.sleep(delay)
                if server.etag and self.headers.get("If-None-Match") == server.etag:
                    status, body = 304, b""
                self.send_response(status)
                if server.etag:
                    self.send_header("ETag", server.etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

        return Handler


@pytest.fixture
def feed_server():
    server = FeedServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
