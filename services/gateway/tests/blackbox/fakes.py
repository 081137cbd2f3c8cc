"""Test doubles the gateway talks to over real sockets: upstream services whose answers a test
controls (status, delay, a dropped connection), and a private redis-server that a test may stop
and start again."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from fo_testkit import free_port


@dataclass
class Seen:
    """One request as an upstream received it."""
    method: str
    path: str  # with the query string, exactly as sent
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    close_idle_after: float = 0.0  # answer keep-alive, then close the idle connection


def _shut(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # the client closed it first


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: a gateway opening 50 connections at once
    # overflowed it, a dropped SYN is retried after 1 s, and the gateway's 1 s connect timeout
    # answered 502 (seen in CI as 10 of 50 admitted requests).
    request_queue_size = 1024


class FakeUpstream:
    """An HTTP/1.1 server with keep-alive. By default it answers 200 with a JSON echo of the
    request; `handle` may be replaced by any function Seen -> Reply. /readyz answers 200 while
    `healthy`; /.well-known/jwks.json serves `jwks` when set."""

    def __init__(self, name: str):
        self.name = name
        self.seen: list[Seen] = []
        self.healthy = True
        self.health_checks = 0
        self.jwks: dict | None = None
        self.handle: Callable[[Seen], Reply] = self.echo
        self._lock = threading.Lock()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in two writes

            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, dict(self.headers.items()), body)
                if self.path == "/readyz":
                    upstream.health_checks += 1
                    reply = Reply(200 if upstream.healthy else 503, {"status": "ok"})
                elif self.path == "/.well-known/jwks.json" and upstream.jwks is not None:
                    reply = Reply(200, upstream.jwks)
                else:
                    with upstream._lock:
                        upstream.seen.append(seen)
                    reply = upstream.handle(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = reply.body
                content_type = "application/json"
                if isinstance(payload, dict) or isinstance(payload, list):
                    payload = json.dumps(payload).encode()
                elif isinstance(payload, str):
                    payload = payload.encode()
                    content_type = "text/plain"
                elif payload is None:
                    payload = b""
                self.send_response(reply.status)
                headers = {"Content-Type": content_type, **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)
                if reply.close_idle_after:  # like a server's keep-alive timeout
                    threading.Timer(reply.close_idle_after, _shut, (self.connection,)).start()

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

        self.port = free_port()
        self.server = _Server(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def echo(self, seen: Seen) -> Reply:
        return Reply(200, {"upstream": self.name, "method": seen.method, "path": seen.path,
                           "headers": seen.headers, "body": seen.body.decode(errors="replace")})

    def reset(self) -> None:
        with self._lock:
            self.seen.clear()
        self.handle = self.echo
        self.healthy = True

    def count(self) -> int:
        with self._lock:
            return len(self.seen)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class RedisServer:
    """A private, memory-only redis-server on its own port; stop() and start() keep the port."""

    def __init__(self):
        self.binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def command(self, *args: str) -> bytes:
        """One command, its raw RESP reply (enough for FLUSHALL, DBSIZE, KEYS in tests)."""
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
            s.sendall(payload.encode())
            time.sleep(0.05)
            return s.recv(1 << 20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
