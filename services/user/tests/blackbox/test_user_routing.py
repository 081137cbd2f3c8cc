"""Routing answers (404, 405 with Allow) and request ids."""
from __future__ import annotations

import re
import uuid

import pytest

from fo_testkit import problem


@pytest.mark.parametrize("path", ["/nope", "/users", "/users/me/extra", "/admin/users/1/x",
                                  "/auth", "/.well-known/other"])
def test_unknown_route_is_404(user_api, path):
    problem(user_api.get(path), 404)


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/users/me", {"GET", "PUT"}),
    ("GET", "/auth/login", {"POST"}),
    ("PATCH", "/admin/users/1", {"GET", "PUT", "DELETE"}),
    ("POST", "/admin/stats", {"GET"}),
    ("DELETE", "/.well-known/jwks.json", {"GET"}),
])
def test_wrong_method_is_405_with_allow(user_api, method, path, allowed):
    response = user_api.http.request(method, user_api.url(path), timeout=10)
    problem(response, 405)
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_request_id_is_echoed(user_api):
    request_id = "req-" + uuid.uuid4().hex
    response = user_api.get("/livez", headers={"X-Request-Id": request_id})
    assert response.headers["X-Request-Id"] == request_id
    # Errors carry it too.
    response = user_api.get("/nope", headers={"X-Request-Id": request_id})
    assert response.headers["X-Request-Id"] == request_id


def test_request_id_is_generated_when_absent_or_unusable(user_api):
    ids = {user_api.get("/livez").headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids), ids
    # A request id that cannot be logged safely is replaced, not echoed.
    replaced = user_api.get("/livez", headers={"X-Request-Id": "x" * 300}).headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)
