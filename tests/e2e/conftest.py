"""The whole system, started once for the observability suites (metrics in Prometheus, dashboard
queries, alerts, the purchase trace): see fo_stack. The alert receiver listens from the start,
so an alert that fires during any of them reaches it."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fo_stack import FullStack
from fo_testkit import required_env


class AlertReceiver:
    """What Alertmanager posted to the webhook: every notification's alerts, in order."""

    def __init__(self):
        self.alerts: list[dict] = []
        self.lock = threading.Lock()

    def seen(self, name: str, status: str, **labels) -> list[dict]:
        with self.lock:
            return [a for a in self.alerts if a["labels"]["alertname"] == name
                    and a["status"] == status
                    and all(a["labels"].get(k) == v for k, v in labels.items())]


@pytest.fixture(scope="session")
def alert_receiver():
    received = AlertReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with received.lock:
                received.alerts.extend(body["alerts"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", int(required_env("ALERT_WEBHOOK_PORT"))), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def full_stack(tmp_path_factory, alert_receiver):
    stack = FullStack(tmp_path_factory.mktemp("observe"))
    codes: dict[str, int] = {}
    try:
        stack.up()
        yield stack
    finally:
        codes = stack.down()
    failed = {name: code for name, code in codes.items() if code != 0}
    assert not failed, f"services that did not stop cleanly: {failed}"
