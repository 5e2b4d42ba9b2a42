"""Real parts to break: a Redis server of the test's own, a TCP proxy to cut, and
gunicorn serving the site from another process.

Neither touches the shared services: the Redis runs on a free port with its
own folder, and the proxy forwards to a PostgreSQL it is given.
"""

import contextlib
import os
import selectors
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench import faults

# The bench owns the same parts (a Redis of its own on a free port that keeps its data
# across stop() and start(); waiting for a condition): one copy, used by both.
REDIS_SERVER, free_port, wait_until = faults.REDIS_SERVER, faults.free_port, faults.wait_until
RedisServer = faults.OwnedRedis


ROOT = Path(__file__).resolve().parent.parent.parent


def _healthy(url):
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


@contextlib.contextmanager
def gunicorn_serving(env, *, port=None, workers=2, timeout=20):
    """``gunicorn config.wsgi -w workers`` on 127.0.0.1 in ``env``: yields ``(url,
    process)`` once ``/healthz`` answers 200 (else fails with gunicorn's last words),
    and stops it afterwards."""
    port = port or free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until(lambda: _healthy(url), timeout=timeout):
            process.terminate()
            raise RuntimeError(process.communicate(timeout=10)[1].decode()[-2000:])
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def redis_server_or_skip():
    if Path(REDIS_SERVER).exists():
        return
    message = f"needs {REDIS_SERVER} (Debian's redis-server) to start a Redis of its own"
    if os.environ.get("REQUIRE_REDIS") == "1":
        pytest.fail(f"REQUIRE_REDIS=1 but {message}")
    pytest.skip(message)


class TcpProxy:
    """Forwards 127.0.0.1:<port> to ``target``; ``cut()`` drops every connection and
    refuses new ones (closed at once) until ``restore()``.

    One thread and a selector: enough for a few database connections.
    """

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, None)
        self.peers = {}
        self.lock = threading.Lock()
        self.is_cut = False
        self.running = True
        self.thread = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)
        self.thread.start()

    def _accept(self):
        try:
            client, _ = self.listener.accept()
        except BlockingIOError:
            return
        if self.is_cut:
            client.close()
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        for sock in (client, upstream):
            sock.setblocking(False)
        self.peers[client] = upstream
        self.peers[upstream] = client
        self.selector.register(client, selectors.EVENT_READ, None)
        self.selector.register(upstream, selectors.EVENT_READ, None)

    def _drop(self, sock):
        other = self.peers.pop(sock, None)
        for each in (sock, other):
            if each is None:
                continue
            self.peers.pop(each, None)
            try:
                self.selector.unregister(each)
            except (KeyError, ValueError):
                pass
            each.close()

    def _run(self):
        while self.running:
            for key, _ in self.selector.select(timeout=0.05):
                sock = key.fileobj
                if sock is self.listener:
                    self._accept()
                    continue
                if sock not in self.peers:
                    continue
                try:
                    data = sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:
                    self._drop(sock)
                    continue
                try:
                    self.peers[sock].setblocking(True)
                    self.peers[sock].sendall(data)
                    self.peers[sock].setblocking(False)
                except OSError:
                    self._drop(sock)
            with self.lock:
                if self.is_cut:
                    for sock in [s for s in list(self.peers) if s in self.peers]:
                        self._drop(sock)

    def cut(self):
        with self.lock:
            self.is_cut = True
        # Every open connection is closed by the proxy's thread within one turn.
        wait_until(lambda: not self.peers, timeout=2)

    def restore(self):
        with self.lock:
            self.is_cut = False

    def close(self):
        self.running = False
        self.thread.join(timeout=2)
        for sock in list(self.peers):
            self._drop(sock)
        self.selector.close()
        self.listener.close()
