"""Refresh-token rotation and revocation, and access-token attacks against GET /users/me."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fo_testkit import problem


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def unauthorized(response: requests.Response) -> dict:
    body = problem(response, 401)
    assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), response.headers
    return body


# --- refresh tokens -------------------------------------------------------------------------

def test_refresh_rotates_and_the_old_token_is_single_use(user_api):
    user = user_api.register()
    session = user_api.login(user["username"])
    rotated = user_api.post("/auth/refresh", {"refresh_token": session["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    fresh = rotated.json()
    assert fresh["refresh_token"] != session["refresh_token"]
    assert fresh["token_type"] == "Bearer" and fresh["user"]["id"] == user["id"]
    assert user_api.get("/users/me", fresh["access_token"]).status_code == 200
    # Reusing the consumed token fails; the rotated one still works exactly once.
    unauthorized(user_api.post("/auth/refresh", {"refresh_token": session["refresh_token"]}))
    assert user_api.post("/auth/refresh",
                         {"refresh_token": fresh["refresh_token"]}).status_code == 200


def test_parallel_refreshes_of_one_token_succeed_once(user_api):
    user = user_api.register()
    token = user_api.login(user["username"])["refresh_token"]
    barrier = threading.Barrier(10)

    def refresh(_):
        barrier.wait()
        return requests.post(user_api.url("/auth/refresh"), json={"refresh_token": token},
                             timeout=10).status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = sorted(pool.map(refresh, range(10)))
    assert statuses == [200] + [401] * 9, statuses


def test_unknown_refresh_token_is_401(user_api):
    unauthorized(user_api.post("/auth/refresh", {"refresh_token": "not-a-real-token"}))


def test_logout_revokes_the_refresh_token(user_api):
    user = user_api.register()
    session = user_api.login(user["username"])
    other = user_api.login(user["username"])  # a second device stays signed in
    response = user_api.post("/auth/logout", {"refresh_token": session["refresh_token"]})
    assert response.status_code == 204, response.text
    unauthorized(user_api.post("/auth/refresh", {"refresh_token": session["refresh_token"]}))
    assert user_api.post("/auth/refresh",
                         {"refresh_token": other["refresh_token"]}).status_code == 200


@pytest.mark.parametrize("change", ["role", "deactivation"])
def test_role_change_and_deactivation_revoke_refresh_tokens(user_api, admin, change):
    user = user_api.register()
    session = user_api.login(user["username"])
    if change == "role":
        response = user_api.put(f"/admin/users/{user['id']}/role", {"role": "admin"}, admin)
    else:
        response = user_api.put(f"/admin/users/{user['id']}/active", {"is_active": False}, admin)
    assert response.status_code == 200, response.text
    unauthorized(user_api.post("/auth/refresh", {"refresh_token": session["refresh_token"]}))
    if change == "deactivation":
        # Reactivating does not bring old sessions back.
        user_api.put(f"/admin/users/{user['id']}/active", {"is_active": True}, admin)
        unauthorized(user_api.post("/auth/refresh",
                                   {"refresh_token": session["refresh_token"]}))
    else:
        # The next login carries the new role.
        claims = user_api.login(user["username"])
        assert claims["user"]["role"] == "admin"


def test_refresh_token_is_not_an_access_token(user_api):
    user = user_api.register()
    session = user_api.login(user["username"])
    unauthorized(user_api.get("/users/me", session["refresh_token"]))


# --- access-token attacks -------------------------------------------------------------------

def _other_key():
    return ec.generate_private_key(ec.SECP256R1())


def _public_pem(user_api) -> bytes:
    return user_api.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)


def _hs256_with_public_key(user_api, sub: str) -> str:
    """Algorithm confusion: HMAC-SHA256 keyed with the public key PEM, which anyone can fetch."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT", "kid": user_api.key_id}
    payload = {"iss": user_api.issuer, "aud": user_api.audience, "sub": sub, "role": "admin",
               "iat": now, "exp": now + 300, "jti": "confused"}
    signing_input = f"{b64url_json(header)}.{b64url_json(payload)}".encode()
    signature = hmac.new(_public_pem(user_api), signing_input, hashlib.sha256).digest()
    return f"{signing_input.decode()}.{b64url(signature)}"


def _alg_none(user_api, sub: str) -> str:
    now = int(time.time())
    header = {"alg": "none", "typ": "JWT"}
    payload = {"iss": user_api.issuer, "aud": user_api.audience, "sub": sub, "role": "admin",
               "iat": now, "exp": now + 300, "jti": "none"}
    return f"{b64url_json(header)}.{b64url_json(payload)}."


def _tampered_role(user_api, real_token: str) -> str:
    """A genuine user token whose payload is edited to role=admin, keeping the signature."""
    header, payload, signature = real_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "admin"
    return f"{header}.{b64url_json(claims)}.{signature}"


ATTACKS = {
    "no token": lambda api, sub, real: None,
    "garbage": lambda api, sub, real: "Bearer not.a.jwt",
    "empty bearer": lambda api, sub, real: "Bearer ",
    "expired": lambda api, sub, real: "Bearer " + api.forge_token(
        sub, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    "not yet valid": lambda api, sub, real: "Bearer " + api.forge_token(
        sub, nbf=int(time.time()) + 3600),
    "wrong issuer": lambda api, sub, real: "Bearer " + api.forge_token(sub, iss="someone-else"),
    "wrong audience": lambda api, sub, real: "Bearer " + api.forge_token(sub, aud="another-api"),
    "no expiry": lambda api, sub, real: "Bearer " + api.forge_token(sub, exp=None),
    "alg none": lambda api, sub, real: "Bearer " + _alg_none(api, sub),
    "HS256 keyed with the public key": lambda api, sub, real: "Bearer "
    + _hs256_with_public_key(api, sub),
    "signed by another key": lambda api, sub, real: "Bearer " + api.forge_token(
        sub, key=_other_key()),
    "tampered payload": lambda api, sub, real: "Bearer " + _tampered_role(api, real),
    "truncated signature": lambda api, sub, real: "Bearer " + real[:-10],
    "Basic scheme": lambda api, sub, real: "Basic "
    + base64.b64encode(b"root:password").decode(),
    "token without scheme": lambda api, sub, real: real,
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_users_me_rejects_bad_tokens(user_api, attack):
    user, real = user_api.new_user()
    authorization = ATTACKS[attack](user_api, str(user["id"]), real)
    headers = {"Authorization": authorization} if authorization is not None else {}
    unauthorized(user_api.get("/users/me", headers=headers))


@pytest.mark.parametrize("attack", ["alg none", "HS256 keyed with the public key",
                                    "tampered payload", "signed by another key"])
def test_forged_admin_tokens_do_not_open_admin_routes(user_api, attack):
    user, real = user_api.new_user()
    if attack == "signed by another key":
        authorization = "Bearer " + user_api.forge_token(str(user["id"]), role="admin",
                                                         key=_other_key())
    else:
        authorization = ATTACKS[attack](user_api, str(user["id"]), real)
    unauthorized(user_api.get("/admin/stats", headers={"Authorization": authorization}))


def test_a_validly_signed_token_still_works(user_api):
    # The forging helper itself is sound: the same claims with the real key are accepted, so the
    # rejections above are about the attack, not the helper.
    user, _ = user_api.new_user()
    assert user_api.get("/users/me", user_api.forge_token(str(user["id"]))).status_code == 200


@pytest.mark.parametrize("sub", ["abc", "99999999999999999999999", ""])
def test_signed_token_with_a_non_numeric_subject_is_401(user_api, sub):
    # Only the key holder can mint these, but a malformed subject must still be a clean 401,
    # not a dropped connection.
    try:
        response = user_api.get("/users/me", user_api.forge_token(sub))
    except requests.ConnectionError as e:
        pytest.fail(f"the service dropped the connection instead of answering 401: {e}")
    unauthorized(response)


def test_access_token_of_a_deleted_user_is_401(user_api, admin):
    user, token = user_api.new_user()
    assert user_api.delete(f"/admin/users/{user['id']}", admin).status_code == 204
    unauthorized(user_api.get("/users/me", token))
