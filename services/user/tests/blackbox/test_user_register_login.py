"""Registration and login: the public shape of a user, uniqueness (also under concurrency), and
login answers that verify with the published keys and do not reveal which accounts exist."""
from __future__ import annotations

import json
import re
import threading
import uuid
from datetime import datetime, timezone

import jwt
import requests

from fo_testkit import problem

USER_FIELDS = {"id", "username", "email", "full_name", "role", "is_active", "created_at",
               "updated_at"}
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def fresh_name() -> str:
    return "u" + uuid.uuid4().hex[:12]


def registration(username: str, **overrides) -> dict:
    return {"username": username, "email": f"{username}@example.com", "password": "password123",
            "full_name": "Ada Lovelace", **overrides}


def without_trace(response: requests.Response) -> dict:
    body = response.json()
    body.pop("trace_id", None)
    return body


def test_register_returns_exactly_the_public_user(user_api):
    name = fresh_name()
    response = user_api.post("/auth/register", registration(name, password="s3cret-Pa55word"))
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    user = response.json()
    assert set(user) == USER_FIELDS
    assert isinstance(user["id"], int) and user["id"] > 0
    assert (user["username"], user["email"], user["full_name"]) == (
        name, f"{name}@example.com", "Ada Lovelace")
    assert user["role"] == "user" and user["is_active"] is True
    for stamp in ("created_at", "updated_at"):
        assert RFC3339_UTC.match(user[stamp]), user[stamp]
        created = datetime.fromisoformat(user[stamp].replace("Z", "+00:00"))
        assert abs((datetime.now(timezone.utc) - created).total_seconds()) < 60
    # Neither the password nor its hash ever leaves the service.
    lowered = response.text.lower()
    assert "s3cret-pa55word" not in lowered and "hash" not in lowered and "argon" not in lowered
    assert "password" not in lowered


def test_register_stores_the_email_in_lower_case(user_api):
    name = fresh_name()
    user = user_api.post("/auth/register",
                         registration(name, email=f"{name.upper()}@Example.COM")).json()
    assert user["email"] == f"{name}@example.com"


def test_register_cannot_choose_a_role(user_api):
    # Self-registration with role=admin must not create an admin: the field is unknown here.
    name = fresh_name()
    response = user_api.post("/auth/register", registration(name, role="admin"))
    assert "role" in {e["field"] for e in problem(response, 400)["errors"]}
    assert user_api.post("/auth/login", {"username": name, "password": "password123"}
                         ).status_code == 401


def test_duplicate_username_is_409(user_api):
    name = fresh_name()
    user_api.register(name)
    response = user_api.post("/auth/register",
                             registration(name, email=f"other-{name}@example.com"))
    body = problem(response, 409)
    assert "username" in {e["field"] for e in body.get("errors", [])}


def test_duplicate_email_in_another_case_is_409(user_api):
    first = user_api.register()
    response = user_api.post("/auth/register",
                             registration(fresh_name(), email=first["email"].upper()))
    body = problem(response, 409)
    assert "email" in {e["field"] for e in body.get("errors", [])}


def test_fifty_parallel_registrations_of_one_username_create_one_account(user_api):
    name = fresh_name()
    barrier = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        body = registration(name, email=f"{name}-{i}@example.com")
        barrier.wait()
        status = requests.post(user_api.url("/auth/register"), json=body, timeout=30).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] + [409] * 49, statuses


def test_deleting_a_user_frees_username_and_email(user_api, admin):
    user = user_api.register()
    assert user_api.delete(f"/admin/users/{user['id']}", admin).status_code == 204
    again = user_api.post("/auth/register",
                          registration(user["username"], email=user["email"]))
    assert again.status_code == 201, again.text
    assert again.json()["id"] != user["id"]


def test_login_returns_a_session(user_api):
    user = user_api.register()
    response = user_api.post("/auth/login",
                             {"username": user["username"], "password": "password123"})
    assert response.status_code == 200, response.text
    session = response.json()
    assert {"access_token", "token_type", "expires_in", "refresh_token", "user"} <= set(session)
    assert session["token_type"] == "Bearer"
    assert session["expires_in"] == 900
    assert isinstance(session["refresh_token"], str) and len(session["refresh_token"]) >= 32
    assert session["refresh_token"] != session["access_token"]
    assert session["user"] == user
    assert "password" not in response.text.lower()


def test_access_token_verifies_with_the_published_jwks(user_api):
    user, _ = user_api.new_user()
    session = user_api.login(user["username"])
    jwks = user_api.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert jwks.headers["Content-Type"].startswith("application/json")
    keys = jwks.json()["keys"]
    assert keys and all("d" not in k for k in keys)  # public halves only

    header = jwt.get_unverified_header(session["access_token"])
    assert header["alg"] == "ES256"
    published = [k for k in keys if k.get("kid") == header.get("kid")]
    assert len(published) == 1, (header, keys)
    public_key = jwt.PyJWK(published[0]).key
    claims = jwt.decode(session["access_token"], public_key, algorithms=["ES256"],
                        audience=user_api.audience, issuer=user_api.issuer,
                        options={"require": ["exp", "iat", "iss", "aud", "sub", "jti"]})
    assert claims["sub"] == str(user["id"])
    assert claims["role"] == "user"
    assert claims["exp"] - claims["iat"] == 900
    assert claims["jti"]
    # Each login issues a distinct token id.
    other = jwt.decode(user_api.login(user["username"])["access_token"], public_key,
                       algorithms=["ES256"], audience=user_api.audience)
    assert other["jti"] != claims["jti"]


def test_admin_token_carries_the_admin_role(user_api):
    claims = jwt.decode(user_api.admin_token(), options={"verify_signature": False})
    assert claims["role"] == "admin"


def test_login_failures_do_not_reveal_which_accounts_exist(user_api, admin):
    user = user_api.register()
    inactive = user_api.register()
    assert user_api.put(f"/admin/users/{inactive['id']}/active", {"is_active": False},
                        admin).status_code == 200
    attempts = {
        "unknown user": {"username": fresh_name(), "password": "password123"},
        "wrong password": {"username": user["username"], "password": "password124"},
        "deactivated": {"username": inactive["username"], "password": "password123"},
    }
    answers = {}
    for case, body in attempts.items():
        response = user_api.post("/auth/login", body)
        problem(response, 401)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), case
        answers[case] = without_trace(response)
    assert len({json.dumps(a, sort_keys=True) for a in answers.values()}) == 1, answers


def test_login_username_is_not_truncated_at_a_nul_character(user_api):
    # "name\u0000anything" is not the account "name": it must not log in as that account.
    user = user_api.register()
    response = user_api.post("/auth/login", {"username": user["username"] + "\u0000-someone-else",
                                             "password": "password123"})
    assert response.status_code in (400, 401), response.text
