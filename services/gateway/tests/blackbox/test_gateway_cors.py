"""CORS from an allow-list: preflights answered by the gateway, headers on real answers for
allowed origins only, and never a wildcard together with credentials."""
from __future__ import annotations

import pytest
from fo_testkit import problem

SHOP = "https://shop.example"


@pytest.fixture(scope="module")
def cors_gateway(start_gateway):
    return start_gateway(env={"GATEWAY_CORS_ORIGINS": f"{SHOP}, https://admin.example",
                              "GATEWAY_CORS_CREDENTIALS": "true"})


def preflight(gw, origin, path="/api/payments", method="POST"):
    return gw.request("OPTIONS", path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})


def test_preflights_for_allowed_origins_are_answered_here(cors_gateway):
    before = cors_gateway.up("payment").count()
    response = preflight(cors_gateway, SHOP)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "idempotency-key" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers["Vary"] == "Origin"
    # Exact-pattern routes take preflights too.
    assert preflight(cors_gateway, SHOP, "/api/products/5/favorite").status_code == 204
    assert cors_gateway.up("payment").count() == before  # never forwarded


def test_other_origins_are_refused_and_get_no_cors_headers(cors_gateway):
    problem(preflight(cors_gateway, "https://evil.example"), 403)
    response = cors_gateway.get("/api/categories", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_answers_to_allowed_origins_carry_cors_headers(cors_gateway):
    response = cors_gateway.get("/users/me", cors_gateway.token(), headers={"Origin": SHOP})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert "X-Trace-Id" in response.headers["Access-Control-Expose-Headers"]
    refused = cors_gateway.get("/users/me", headers={"Origin": SHOP})
    problem(refused, 401)
    assert refused.headers["Access-Control-Allow-Origin"] == SHOP  # the browser may read why


def test_a_wildcard_with_credentials_does_not_start(start_gateway):
    gw = start_gateway(env={"GATEWAY_CORS_ORIGINS": "*", "GATEWAY_CORS_CREDENTIALS": "true"},
                       wait=False)
    assert gw.service.process.wait(10) != 0
    assert "cannot go with GATEWAY_CORS_CREDENTIALS" in gw.service.output()
    start_gateway.forget(gw)
