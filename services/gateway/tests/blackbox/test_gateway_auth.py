"""Tokens at the gateway: route policies, JWT attacks, keys from the user service's JWKS, and the
gateway's own admin endpoints. A refused request never reaches the upstream."""
from __future__ import annotations

import base64
import json
import time

import pytest
from conftest import jwks_of
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fo_testkit import KEY_ID, mint_token, problem


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(alg="none") -> str:
    header = b64(json.dumps({"alg": alg, "typ": "JWT", "kid": KEY_ID}).encode())
    now = int(time.time())
    payload = b64(json.dumps({"iss": "full-observability/user", "aud": "full-observability",
                              "sub": "1", "role": "admin", "iat": now, "exp": now + 300,
                              "jti": "x"}).encode())
    return f"{header}.{payload}."


def hs256_with_public_key(key) -> str:
    """The algorithm-confusion attack: HMAC keyed with the verifier's public key PEM."""
    import hashlib
    import hmac

    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KEY_ID}).encode())
    now = int(time.time())
    payload = b64(json.dumps({"iss": "full-observability/user", "aud": "full-observability",
                              "sub": "1", "role": "admin", "iat": now, "exp": now + 300,
                              "jti": "y"}).encode())
    signature = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


def bad_tokens(gateway) -> dict[str, str]:
    other = ec.generate_private_key(ec.SECP256R1())
    now = int(time.time())
    return {
        "expired": gateway.token(exp=now - 120, iat=now - 600),
        "not yet valid": gateway.token(nbf=now + 600),
        "wrong issuer": gateway.token(iss="someone-else"),
        "wrong audience": gateway.token(aud="another-app"),
        "alg none": unsigned_token(),
        "HS256 keyed with the public key": hs256_with_public_key(gateway.key),
        "forged with another key": mint_token(other, "1", "admin"),
        "unknown kid": mint_token(other, "1", "admin", headers={"kid": "stranger"}),
        "garbage": "not.a.token",
        "no sub": gateway.token(sub=None),
        "unknown role": gateway.token(role="root"),
    }


@pytest.mark.parametrize("path", ["/users/me", "/api/inventory", "/api/payments/my"])
def test_user_routes_need_a_token(gateway, path):
    body = problem(gateway.get(path), 401)
    assert "required" in body["detail"]
    assert body["trace_id"]


def test_refused_requests_never_reach_the_upstream(gateway):
    counts = {name: gateway.up(name).count() for name in gateway.upstreams}
    problem(gateway.get("/users/me"), 401)
    problem(gateway.get("/admin/users"), 401)
    problem(gateway.get("/admin/users", gateway.token()), 403)
    problem(gateway.post("/api/products", {"name": "x"}, gateway.token()), 403)
    for name, token in bad_tokens(gateway).items():
        body = problem(gateway.get("/users/me", token), 401)
        assert "invalid" in body["detail"], name
    assert counts == {name: gateway.up(name).count() for name in gateway.upstreams}


def test_valid_tokens_pass_and_reach_the_upstream_unchanged(gateway):
    token = gateway.token(sub="42")
    response = gateway.get("/users/me", token)
    assert response.status_code == 200
    # The service verifies the token again itself (defence in depth): it must get it as sent.
    assert gateway.up("user").seen[-1].header("Authorization") == f"Bearer {token}"
    assert gateway.get("/admin/users", gateway.admin()).status_code == 200
    assert gateway.post("/api/products", {"name": "x"}, gateway.admin()).status_code == 200
    # Favourites are any user's, not only admins'.
    assert gateway.post("/api/products/5/favorite", {}, token).status_code == 200


def test_public_routes_pass_with_any_token_or_none(gateway):
    for token in [None, *bad_tokens(gateway).values()]:
        response = gateway.post("/auth/refresh", {"refresh_token": "r"}, token)
        assert response.status_code == 200, response.text


def test_keys_rotate_in_on_an_unknown_kid(start_gateway):
    gw = start_gateway()
    new_key = ec.generate_private_key(ec.SECP256R1())
    rotated = mint_token(new_key, "3", "user", headers={"kid": "user-2"})
    problem(gw.get("/users/me", rotated), 401)  # not published yet
    gw.up("user").jwks = jwks_of((gw.key, KEY_ID), (new_key, "user-2"))
    time.sleep(0.6)  # GATEWAY_JWKS_MIN_REFRESH_GAP_MS=500 in the tests
    assert gw.get("/users/me", rotated).status_code == 200
    assert gw.get("/users/me", gw.token()).status_code == 200  # the old key still works


def test_unknown_kids_refresh_at_most_once_per_gap(start_gateway):
    gw = start_gateway()
    time.sleep(0.6)
    before = gw.metric("gateway_jwks_refreshes_total")
    stranger = ec.generate_private_key(ec.SECP256R1())
    for i in range(20):
        token = mint_token(stranger, "3", "user", headers={"kid": f"forged-{i}"})
        problem(gw.get("/users/me", token), 401)
    assert gw.metric("gateway_jwks_refreshes_total") - before == 1


def test_without_keys_protected_routes_are_503_not_401(start_gateway):
    gw = start_gateway(wait=False, publish_keys=False)  # the user service answers 404 for keys
    gw.service.wait_ready(gw.base + "/livez")
    time.sleep(0.3)
    assert gw.get("/readyz").status_code == 503
    body = problem(gw.get("/users/me", gw.token()), 503)
    assert gw.get("/users/me", gw.token()).headers["Retry-After"]
    assert "verified" in body["detail"]
    assert gw.post("/auth/login", {"username": "a", "password": "b"}).status_code == 200


def test_gateway_admin_endpoints_need_an_admin_token(gateway):
    for method, path in (("POST", "/admin/gateway/cache/purge"), ("GET", "/admin/gateway/circuits")):
        problem(gateway.request(method, path), 401)
        problem(gateway.request(method, path, "garbage"), 401)
        problem(gateway.request(method, path, gateway.token()), 403)
        problem(gateway.request(method, path, unsigned_token()), 401)
        assert gateway.request(method, path, gateway.admin()).status_code == 200
    circuits = gateway.get("/admin/gateway/circuits", gateway.admin()).json()["circuits"]
    assert {c["upstream"] for c in circuits} == {"user", "product", "inventory", "payment"}
    assert all(c["state"] == "closed" for c in circuits)
