"""Health probes and the Prometheus endpoint."""
from __future__ import annotations

import re
import socket
import time
import uuid

import grpc
import requests


def test_livez(user_api):
    response = user_api.get("/livez")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_readyz_reports_the_database(user_api):
    response = user_api.get("/readyz")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"


def test_health_for_the_seed_clients(user_api):
    response = user_api.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def scrape(user_api) -> str:
    response = user_api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.text


def samples(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(name + "{")
            or line.startswith(name + " ")]


def test_http_metrics_use_route_patterns(user_api, admin):
    user, token = user_api.new_user()
    user_api.get("/users/me", token)
    user_api.get(f"/admin/users/{user['id']}", admin)
    missing = f"/no-such-{uuid.uuid4().hex}"
    user_api.get(missing)
    text = scrape(user_api)

    requests_total = samples(text, "http_server_requests_total")
    assert any('route="/users/me"' in s and 'method="GET"' in s and 'status="200"' in s
               for s in requests_total), requests_total
    assert any('route="/admin/users/{id}"' in s for s in requests_total)
    # Never a raw path as a label: no ids, no unmatched paths (unbounded cardinality).
    routes = set(re.findall(r'route="([^"]*)"', text))
    assert not any(re.search(r"/\d+(/|$)", r) for r in routes), routes
    assert missing not in text and f"/admin/users/{user['id']}\"" not in text


def test_duration_histogram_has_buckets(user_api, admin):
    user_api.get("/admin/stats", admin)
    text = scrape(user_api)
    buckets = samples(text, "http_server_request_duration_seconds_bucket")
    assert any('route="/admin/stats"' in b for b in buckets)
    assert any('le="+Inf"' in b for b in buckets)
    # Sub-millisecond resolution: at least one bucket below 1 ms.
    bounds = {float(m) for m in re.findall(r'le="([0-9.e+-]+)"', "\n".join(buckets))}
    assert any(b < 0.001 for b in bounds), sorted(bounds)
    assert samples(text, "http_server_request_duration_seconds_count")


def test_process_and_database_metrics(user_api):
    user_api.register()  # at least one INSERT and statement timing
    text = scrape(user_api)
    rss = samples(text, "process_resident_memory_bytes")
    assert rss and float(rss[0].split()[-1]) > 1_000_000
    db = samples(text, "db_client_operation_duration_seconds_bucket")
    assert any('operation="INSERT"' in s and 'table="users"' in s for s in db), db[:5]


def test_grpc_server_metrics_after_a_call(user_api, user_pb):
    user_pb2, user_pb2_grpc = user_pb
    with grpc.insecure_channel(user_api.grpc_target) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        stub.ValidateUser(user_pb2.ValidateUserRequest(user_id=1), timeout=5)
    handled = samples(scrape(user_api), "grpc_server_handled_total")
    assert any("ValidateUser" in s for s in handled), handled


def test_in_flight_gauge_returns_to_idle_after_every_kind_of_request(user_api):
    # A mix of answers: success, 401, 404, 413, a client that hangs up mid-body, and a token
    # that is signed correctly but names no numeric user.
    user_api.get("/livez")
    user_api.get("/users/me", "garbage")
    user_api.get("/nope")
    user_api.post("/auth/login", data=b"{" + b" " * 70_000 + b"}",
                  headers={"Content-Type": "application/json"})
    with socket.create_connection(("127.0.0.1", int(user_api.base.rsplit(":", 1)[1]))) as s:
        s.sendall(b"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
    try:
        user_api.get("/users/me", user_api.forge_token("not-a-number"))
    except requests.ConnectionError:
        pass  # reported by test_user_tokens; here only the bookkeeping matters
    time.sleep(0.2)
    # Only the scrape itself is in flight while /metrics is rendered: a larger value means
    # requests that never finished their bookkeeping.
    active = samples(scrape(user_api), "http_server_active_requests")
    assert active and float(active[0].split()[-1]) == 1.0, active
