"""Routing and forwarding: which upstream gets what, and exactly what it sees."""
from __future__ import annotations

import re
import socket
import uuid

from fo_testkit import problem


def fresh(path: str) -> str:
    """The path with a unique query parameter: never answered from the cache."""
    return f"{path}{'&' if '?' in path else '?'}n={uuid.uuid4().hex}"


def test_each_prefix_goes_to_its_upstream(gateway):
    token = gateway.token()
    cases = [("POST", "/auth/login", None, "user"), ("GET", "/.well-known/jwks.json", None, "user"),
             ("GET", "/users/me", token, "user"), ("GET", "/api/products", None, "product"),
             ("GET", "/api/products/favorites", token, "product"),
             ("GET", "/api/categories", None, "product"),
             ("GET", "/api/inventory/check/5", token, "inventory"),
             ("POST", "/api/payments", token, "payment")]
    for method, path, auth, service in cases:
        before = gateway.up(service).count()
        response = gateway.request(method, path, auth, json={} if method == "POST" else None)
        if path == "/.well-known/jwks.json":
            assert response.status_code == 200 and response.json()["keys"], response.text
            continue
        assert response.status_code == 200, (path, response.status_code, response.text)
        assert response.json()["upstream"] == f"{service}-1", path
        assert gateway.up(service).count() == before + 1, path


def test_path_and_query_are_forwarded_unchanged(gateway):
    target = "/api/products?category=home%20office&sort=-price&q=%E2%82%AC&b=2&a=1"
    response = gateway.get(target)
    assert response.status_code == 200, response.text
    assert response.json()["path"] == target
    seen = gateway.up("product").seen[-1]
    assert seen.path == target and seen.method == "GET"


def test_body_and_method_reach_the_upstream(gateway):
    admin = gateway.admin()
    response = gateway.request("PATCH", "/api/products/9", admin, data=b'{"price":5}',
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    seen = gateway.up("product").seen[-1]
    assert seen.method == "PATCH" and seen.body == b'{"price":5}'
    assert seen.header("Content-Type") == "application/json"


def test_hop_by_hop_headers_stay_behind_and_forwarding_headers_are_set(gateway):
    response = gateway.get(fresh("/api/products"), headers={
        "Connection": "keep-alive, X-Private-Hop", "X-Private-Hop": "secret", "TE": "trailers",
        "Keep-Alive": "timeout=5", "Proxy-Authorization": "Basic Zm9vOmJhcg==",
        "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example", "X-Custom": "kept"})
    assert response.status_code == 200
    seen = gateway.up("product").seen[-1]
    for dropped in ("X-Private-Hop", "TE", "Keep-Alive", "Proxy-Authorization"):
        assert seen.header(dropped) is None, dropped
    assert seen.header("X-Custom") == "kept"
    # The caller is not a trusted proxy: its X-Forwarded-* are replaced, not believed.
    assert seen.header("X-Forwarded-For") == "127.0.0.1"
    assert seen.header("X-Forwarded-Proto") == "http"
    assert seen.header("X-Forwarded-Host") == gateway.base.removeprefix("http://")
    assert seen.header("Host") == gateway.up("product").address


def test_request_id_and_trace_context_cross_the_gateway(gateway):
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    response = gateway.get(fresh("/api/products"), headers={
        "X-Request-Id": "req-12345", "traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"})
    assert response.status_code == 200
    assert response.headers["X-Request-Id"] == "req-12345"
    assert response.headers["X-Trace-Id"] == trace_id
    seen = gateway.up("product").seen[-1]
    assert seen.header("X-Request-Id") == "req-12345"
    parent = seen.header("traceparent")
    assert re.fullmatch(rf"00-{trace_id}-[0-9a-f]{{16}}-01", parent), parent
    assert parent.split("-")[2] != "00f067aa0ba902b7"  # the gateway's own client span
    # Without a traceparent the gateway starts a trace and still reports it.
    started = gateway.get(fresh("/api/products"))
    assert re.fullmatch(r"[0-9a-f]{32}", started.headers["X-Trace-Id"])
    assert gateway.up("product").seen[-1].header("traceparent").split("-")[1] == \
        started.headers["X-Trace-Id"]
    # The id appears once, the gateway's, even though the upstream sent its own too.
    assert "," not in started.headers["X-Request-Id"]


def test_the_remaining_time_travels_upstream(gateway):
    response = gateway.get(fresh("/api/products"), headers={"X-Request-Timeout-Ms": "2500"})
    assert response.status_code == 200
    left = int(gateway.up("product").seen[-1].header("X-Request-Timeout-Ms"))
    assert 1 <= left <= 2500
    payments = gateway.post("/api/payments", {}, gateway.token())
    assert payments.status_code == 200
    assert 10_000 < int(gateway.up("payment").seen[-1].header("X-Request-Timeout-Ms")) <= 30_000


def test_unknown_routes_are_404_from_the_gateway_itself(gateway):
    counts = {name: gateway.up(name).count() for name in gateway.upstreams}
    for path in ("/nope", "/api/productsX", "/api", "/admin/gateway"):
        body = problem(gateway.get(path), 404)
        assert body["trace_id"]
    assert counts == {name: gateway.up(name).count() for name in gateway.upstreams}


def test_methods_a_route_does_not_take_are_405(gateway):
    response = gateway.post("/api/categories", {})
    problem(response, 405)
    assert response.headers["Allow"] == "GET"
    problem(gateway.put("/api/products/favorites", {}, gateway.token()), 405)


def test_upstream_hop_by_hop_response_headers_are_dropped(gateway):
    from fakes import Reply

    gateway.up("product").handle = lambda seen: Reply(
        201, {"ok": True}, {"Connection": "X-Hop", "X-Hop": "1", "Keep-Alive": "timeout=9",
                            "Location": "/api/products/1", "X-Request-Id": "upstream-id"})
    response = gateway.get(fresh("/api/products"))
    assert response.status_code == 201
    assert response.json() == {"ok": True}
    assert "X-Hop" not in response.headers and "Keep-Alive" not in response.headers
    assert response.headers["Location"] == "/api/products/1"
    assert response.headers["X-Request-Id"] != "upstream-id"


def test_oversized_bodies_and_headers_are_refused(gateway):
    problem(gateway.post("/auth/register", data=b"x" * 70_000,
                         headers={"Content-Type": "application/json"}), 413)
    problem(gateway.get(fresh("/api/products"), headers={"X-Big": "y" * 20_000}), 431)


def test_a_slow_client_is_cut_off(start_gateway):
    slow = start_gateway(env={"HTTP_READ_TIMEOUT_MS": "300"})
    host, port = slow.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(b"GET /api/products HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
        s.settimeout(3)
        assert s.recv(100) == b""  # closed by the gateway, without an answer
    assert slow.up("product").count() == 0
