"""Bad access tokens: 401 on user and admin routes; on public routes a bad token is no token."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fo_testkit import AUDIENCE, ISSUER, KEY_ID, mint_token, problem


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def claims(role="admin") -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "12345", "role": role, "iat": now,
            "exp": now + 300, "jti": "j-" + str(now)}


def alg_none(api) -> str:
    return b64url_json({"alg": "none", "typ": "JWT"}) + "." + b64url_json(claims()) + "."


def hs256_with_public_key(api) -> str:
    pem = api.key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = (b64url_json({"alg": "HS256", "typ": "JWT", "kid": KEY_ID}) + "." +
                     b64url_json(claims())).encode()
    return signing_input.decode() + "." + b64url(hmac.new(pem, signing_input,
                                                          hashlib.sha256).digest())


def tampered(api) -> str:
    header, _, signature = api.token("user").split(".")
    return header + "." + b64url_json(claims("admin")) + "." + signature


ATTACKS = {
    "expired": lambda api: api.token("admin", exp=int(time.time()) - 60),
    "not yet valid": lambda api: api.token("admin", nbf=int(time.time()) + 600),
    "alg none": alg_none,
    "HS256 keyed with the public key": hs256_with_public_key,
    "signed by another EC key": lambda api: mint_token(ec.generate_private_key(ec.SECP256R1()),
                                                       "12345", "admin"),
    "RS256 by another key": lambda api: mint_token(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), "12345", "admin",
        algorithm="RS256"),
    "tampered payload": tampered,
    "wrong issuer": lambda api: api.token("admin", iss="someone-else"),
    "wrong audience": lambda api: api.token("admin", aud="another-audience"),
    "missing sub": lambda api: mint_token(api.key, None, "admin"),
    "missing role": lambda api: mint_token(api.key, "12345", None),
    "unknown role": lambda api: mint_token(api.key, "12345", "root"),
    "missing exp": lambda api: api.token("admin", exp=None),
    "missing jti": lambda api: api.token("admin", jti=None),
    "non-numeric sub": lambda api: mint_token(api.key, "abc", "admin"),
    "garbage": lambda api: "not.a.token",
    "empty": lambda api: "",
}


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("route", [("GET", "/api/products/favorites", None),
                                   ("POST", "/api/products", {"name": "x", "sku": "ATTACK",
                                                              "price": 1})],
                         ids=["user route", "admin route"])
def test_bad_tokens_are_401(product_api, attack, route):
    method, path, body = route
    token = ATTACKS[attack](product_api)
    response = product_api.request(method, path, json=body,
                                   headers={"Authorization": f"Bearer {token}"})
    problem(response, 401)
    assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")


@pytest.mark.parametrize("attack", ["alg none", "HS256 keyed with the public key", "expired",
                                    "tampered payload"])
def test_forged_admin_tokens_do_not_reveal_inactive_products(product_api, admin, prefix, attack):
    hidden = product_api.create(admin, prefix, is_active=False)
    token = ATTACKS[attack](product_api)
    headers = {"Authorization": f"Bearer {token}"}
    # a public route treats a bad token as no token at all
    problem(product_api.request("GET", f"/api/products/{hidden['id']}", headers=headers), 404)
    listing = product_api.request("GET", "/api/products", headers=headers,
                                  params={"category": prefix})
    assert listing.status_code == 200 and listing.json()["items"] == []
    problem(product_api.request("GET", "/api/products", headers=headers,
                                params={"is_active": "false"}), 403)


def test_a_validly_signed_token_works(product_api, admin, prefix):
    hidden = product_api.create(admin, prefix, is_active=False)
    assert product_api.get(f"/api/products/{hidden['id']}", admin).status_code == 200


def test_malformed_authorization_headers(product_api):
    for value in ("Basic dXNlcjpwYXNz", "Bearer", "bearer", "Token abc"):
        response = product_api.request("GET", "/api/products/favorites",
                                       headers={"Authorization": value})
        problem(response, 401)
