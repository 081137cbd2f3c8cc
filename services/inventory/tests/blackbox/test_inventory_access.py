"""Who may call what: the authorization matrix over every route, and bad tokens."""
from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fo_testkit import mint_token, problem

# (method, path template, body, status for a user, status for an admin). Anonymous callers get
# 401 everywhere. Admin-only routes are refused to users before any lookup (403).
ROUTES = [
    ("GET", "/api/inventory", None, 200, 200),
    ("GET", "/api/inventory/{row}", None, 200, 200),
    ("GET", "/api/inventory/product/{product}", None, 200, 200),
    ("GET", "/api/inventory/check/{product}?quantity=2", None, 200, 200),
    ("POST", "/api/inventory", {"product_id": "{fresh}", "quantity": 1}, 403, 201),
    ("PATCH", "/api/inventory/{product}/quantity", {"delta": 1}, 403, 200),
]


@pytest.fixture(scope="module")
def row(api):
    return api.stock(10)


def _fill(api, row, path, body):
    path = path.format(row=row["id"], product=row["product_id"])
    if body and body.get("product_id") == "{fresh}":
        body = {**body, "product_id": api.new_product()}
    return path, body


@pytest.mark.parametrize("method,path,body,as_user,as_admin", ROUTES)
@pytest.mark.parametrize("caller", ["anonymous", "user", "admin"])
def test_authorization_matrix(api, row, user, admin, caller, method, path, body, as_user,
                              as_admin):
    path, body = _fill(api, row, path, body)
    token = {"anonymous": None, "user": user, "admin": admin}[caller]
    response = api.request(method, path, token, json=body)
    expected = {"anonymous": 401, "user": as_user, "admin": as_admin}[caller]
    assert response.status_code == expected, (caller, method, path, response.text)
    if expected >= 400:
        problem(response, expected)
    if expected == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"


def _bad_tokens(api):
    now = int(time.time())
    stranger = ec.generate_private_key(ec.SECP256R1())
    payload = mint_token(api.key, "1", "admin").split(".")[1]
    return {
        "expired": mint_token(api.key, "1", "admin", iat=now - 600, exp=now - 300),
        "alg none": _b64('{"alg":"none","typ":"JWT"}') + f".{payload}.",
        "forged (other key)": mint_token(stranger, "1", "admin"),
        "wrong issuer": mint_token(api.key, "1", "admin", iss="someone-else"),
        "wrong audience": mint_token(api.key, "1", "admin", aud="another-api"),
        "no sub": mint_token(api.key, None, "admin"),
        "unknown role": mint_token(api.key, "1", "root"),
        "garbage": "not.a.token",
        "tampered role": _tamper(mint_token(api.key, "1", "user")),
    }


def _b64(text: str) -> str:
    import base64  # noqa: PLC0415

    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _tamper(token: str) -> str:
    import base64  # noqa: PLC0415
    import json  # noqa: PLC0415

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    return f"{header}.{_b64(json.dumps(claims))}.{signature}"


@pytest.mark.parametrize("kind", ["expired", "alg none", "forged (other key)", "wrong issuer",
                                  "wrong audience", "no sub", "unknown role", "garbage",
                                  "tampered role"])
def test_bad_tokens_are_401(api, row, kind):
    token = _bad_tokens(api)[kind]
    problem(api.get("/api/inventory", token), 401)
    problem(api.patch(f"/api/inventory/{row['product_id']}/quantity", {"delta": 1}, token), 401)


def test_hs256_with_the_public_key_is_refused(api, keys):
    import hmac  # noqa: PLC0415
    import hashlib  # noqa: PLC0415
    import json  # noqa: PLC0415

    _, _, public = keys
    now = int(time.time())
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "user-1"}))
    payload = _b64(json.dumps({"iss": "full-observability/user", "aud": "full-observability",
                               "sub": "1", "role": "admin", "iat": now, "exp": now + 300,
                               "jti": "x"}))
    signature = hmac.new(public.read_bytes(), f"{header}.{payload}".encode(),
                         hashlib.sha256).digest()
    import base64  # noqa: PLC0415

    token = f"{header}.{payload}." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()
    problem(api.get("/api/inventory", token), 401)
