"""A table of bad inputs per endpoint: each is a 400 problem+json naming the field (413 for an
oversized body), and nothing — not even random junk — gets a 500."""
from __future__ import annotations

import json
import random
import string
import uuid

import pytest
import requests

from fo_testkit import field_errors, problem


@pytest.fixture(scope="module")
def callers(user_api, admin):
    """Tokens per access level, and a throwaway target for the /admin/users/{id} routes."""
    user, token = user_api.new_user()
    victim = user_api.register()
    return {"anonymous": None, "user": token, "admin": admin, "victim": victim["id"]}


def valid_account() -> dict:
    name = "b" + uuid.uuid4().hex[:12]
    return {"username": name, "email": f"{name}@example.com", "password": "password123",
            "full_name": "Valid Name"}


# Every endpoint with a JSON body: who calls it and a body it would accept.
ENDPOINTS = {
    "POST /auth/register": ("POST", "/auth/register", "anonymous", valid_account),
    "POST /auth/login": ("POST", "/auth/login", "anonymous",
                         lambda: {"username": "nobody", "password": "password123"}),
    "POST /auth/refresh": ("POST", "/auth/refresh", "anonymous",
                           lambda: {"refresh_token": "x" * 40}),
    "POST /auth/logout": ("POST", "/auth/logout", "anonymous",
                          lambda: {"refresh_token": "x" * 40}),
    "PUT /users/me": ("PUT", "/users/me", "user", lambda: {"full_name": "Valid Name"}),
    "POST /admin/users": ("POST", "/admin/users", "admin", valid_account),
    "PUT /admin/users/{id}": ("PUT", "/admin/users/{id}", "admin",
                              lambda: {"full_name": "Valid Name"}),
    "PUT /admin/users/{id}/role": ("PUT", "/admin/users/{id}/role", "admin",
                                   lambda: {"role": "user"}),
    "PUT /admin/users/{id}/active": ("PUT", "/admin/users/{id}/active", "admin",
                                     lambda: {"is_active": True}),
}


def send(user_api, callers, endpoint: str, *, body=None, raw: bytes | None = None,
         content_type: str | None = "application/json") -> requests.Response:
    method, path, caller, _ = ENDPOINTS[endpoint]
    headers = {}
    if callers[caller]:
        headers["Authorization"] = f"Bearer {callers[caller]}"
    if content_type:
        headers["Content-Type"] = content_type
    data = raw if raw is not None else json.dumps(body).encode()
    return user_api.http.request(method, user_api.url(path.replace("{id}", str(callers["victim"]))),
                                 data=data, headers=headers, timeout=10)


# Bodies that are wrong whatever the endpoint: (raw bytes or a function of a valid body, field).
GENERIC = {
    "malformed JSON": (b'{"username": ', "body"),
    "trailing garbage": (b'{} x', "body"),
    "JSON array": (b'[{"username": "abc"}]', "body"),
    "JSON string": (b'"hello"', "body"),
    "JSON null": (b"null", "body"),
    "empty body": (b"", "body"),
    "deeply nested": (b"[" * 5000 + b"]" * 5000, "body"),
    "invalid UTF-8": (b'{"full_name": "\xff\xfe"}', "body"),
    "unknown field": (lambda valid: {**valid, "nickname": "x"}, "nickname"),
}


@pytest.mark.parametrize("case", list(GENERIC))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_generic_bad_bodies(user_api, callers, endpoint, case):
    payload, field = GENERIC[case]
    if callable(payload):
        response = send(user_api, callers, endpoint, body=payload(ENDPOINTS[endpoint][3]()))
    else:
        response = send(user_api, callers, endpoint, raw=payload)
    assert field in field_errors(response), response.text


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_wrong_content_type(user_api, callers, endpoint):
    valid = ENDPOINTS[endpoint][3]()
    response = send(user_api, callers, endpoint, body=valid, content_type="text/plain")
    assert "Content-Type" in field_errors(response)


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_body_over_the_limit_is_413(user_api, callers, endpoint):
    # HTTP_BODY_LIMIT_BYTES=65536 in the fixture; this is a syntactically valid 100 KB body.
    raw = json.dumps({"full_name": "x" * 100_000}).encode()
    try:
        response = send(user_api, callers, endpoint, raw=raw)
    except requests.ConnectionError as e:
        pytest.fail(f"no 413 answer before the connection closed: {e}")
    problem(response, 413)


LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"   # over 254 characters
BAD_EMAILS = ["plainaddress", "@example.com", "a@", "a@b", "a@b.c", "a@@example.com",
              "a b@example.com", "a@exam ple.com", "a@.com", "a..b@example.com",
              ".a@example.com", "a@example..com", "<a>@example.com", "a@-example.com",
              "a\n@example.com", LONG_EMAIL]

ACCOUNT_CASES = [
    # (change to a valid account body, field)
    ({"username": 123}, "username"),
    ({"username": True}, "username"),
    ({"username": {"name": "x"}}, "username"),
    ({"username": None}, "username"),
    ({"username": ""}, "username"),
    ({"username": "ab"}, "username"),
    ({"username": "a" * 33}, "username"),
    ({"username": "Alice"}, "username"),
    ({"username": "bad name"}, "username"),
    ({"username": "naïve"}, "username"),
    ({"email": 5}, "email"),
    ({"password": "short12"}, "password"),
    ({"password": "p" * 129}, "password"),
    ({"password": 12345678}, "password"),
    ({"full_name": "f" * 101}, "full_name"),
    ({"full_name": 7}, "full_name"),
    ({"full_name": "line\nbreak"}, "full_name"),
    ({"full_name": ["a"]}, "full_name"),
] + [({"email": e}, "email") for e in BAD_EMAILS]

MISSING = ["username", "email", "password"]


def drop(body: dict, key: str) -> dict:
    return {k: v for k, v in body.items() if k != key}


CASES = {
    "POST /auth/register": ACCOUNT_CASES + [(lambda b, k=k: drop(b, k), k) for k in MISSING],
    "POST /admin/users": ACCOUNT_CASES + [(lambda b, k=k: drop(b, k), k) for k in MISSING] + [
        ({"role": "boss"}, "role"), ({"role": 1}, "role"), ({"role": ""}, "role")],
    "POST /auth/login": [
        ({"username": 123}, "username"), ({"password": 123}, "password"),
        ({"username": ""}, "username"), ({"password": ""}, "password"),
        ({"username": "u" * 65}, "username"), ({"password": "p" * 257}, "password"),
        (lambda b: drop(b, "username"), "username"), (lambda b: drop(b, "password"), "password"),
    ],
    "POST /auth/refresh": [
        ({"refresh_token": 1}, "refresh_token"), ({"refresh_token": ""}, "refresh_token"),
        ({"refresh_token": "t" * 513}, "refresh_token"), (lambda b: {}, "refresh_token"),
    ],
    "POST /auth/logout": [
        ({"refresh_token": False}, "refresh_token"), (lambda b: {}, "refresh_token"),
    ],
    "PUT /users/me": [
        ({"email": "not-an-email"}, "email"), ({"email": 1}, "email"),
        ({"full_name": "f" * 101}, "full_name"), ({"full_name": 1}, "full_name"),
        ({"password": 12345678, "current_password": "password123"}, "password"),
        ({"password": "p" * 129, "current_password": "password123"}, "password"),
        ({"password": "longenough", "current_password": 5}, "current_password"),
    ] + [({"email": e}, "email") for e in BAD_EMAILS[:6]],
    "PUT /admin/users/{id}": [
        ({"email": "not-an-email"}, "email"), ({"full_name": "f" * 101}, "full_name"),
        ({"password": "short"}, "password"), ({"password": "p" * 129}, "password"),
        ({"is_active": False}, "is_active"), ({"username": "renamed"}, "username"),
    ],
    "PUT /admin/users/{id}/role": [
        ({"role": "boss"}, "role"), ({"role": 1}, "role"), ({"role": None}, "role"),
        (lambda b: {}, "role"),
    ],
    "PUT /admin/users/{id}/active": [
        ({"is_active": "false"}, "is_active"), ({"is_active": 0}, "is_active"),
        ({"is_active": None}, "is_active"), (lambda b: {}, "is_active"),
    ],
}

TABLE = [pytest.param(endpoint, change, field, id=f"{endpoint} {field} {i}")
         for endpoint, cases in CASES.items() for i, (change, field) in enumerate(cases)]


@pytest.mark.parametrize("endpoint,change,field", TABLE)
def test_bad_field(user_api, callers, endpoint, change, field):
    valid = ENDPOINTS[endpoint][3]()
    body = change(valid) if callable(change) else {**valid, **change}
    response = send(user_api, callers, endpoint, body=body)
    assert field in field_errors(response), response.text


def test_all_bad_fields_are_named_at_once(user_api):
    response = user_api.post("/auth/register", {"username": "X", "email": "nope",
                                                "password": "short", "full_name": "tab\there"})
    assert field_errors(response) == {"username", "email", "password", "full_name"}


def test_boundary_lengths_are_accepted(user_api):
    name = "u" * 20 + uuid.uuid4().hex[:12]   # exactly 32 characters
    assert len(name) == 32
    body = {"username": name, "email": f"{name}@example.com", "password": "é" * 128,
            "full_name": "ñ" * 100}  # limits count characters, not bytes
    response = user_api.post("/auth/register", body)
    assert response.status_code == 201, response.text
    short = {"username": "u" + uuid.uuid4().hex[:2], "email": f"{uuid.uuid4().hex}@ex.io",
             "password": "8chars!!"}
    assert user_api.post("/auth/register", short).status_code == 201


def test_headers_over_the_limit_are_431(user_api):
    response = user_api.get("/livez", headers={"X-Padding": "p" * 20_000})
    problem(response, 431)


# --- fuzz -----------------------------------------------------------------------------------

FIELDS = ["username", "email", "password", "full_name", "role", "is_active", "refresh_token",
          "current_password", "id", "q", ""]


def random_scalar(rng: random.Random):
    return rng.choice([
        lambda: None, lambda: rng.choice([True, False]),
        lambda: rng.randint(-2**63, 2**64), lambda: rng.random() * 1e300,
        lambda: "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 40))),
        lambda: "".join(chr(rng.randint(1, 0xD7FF)) for _ in range(rng.randint(0, 20))),
        lambda: "\u0000" + "x" * rng.randint(0, 10),
        lambda: "a" * rng.choice([2, 3, 32, 33, 100, 101, 128, 129, 256, 257, 513, 5000]),
        lambda: f"{uuid.uuid4().hex[:10]}@example.com",
        lambda: rng.choice(["admin", "user", "true", "%", "_", "' OR 1=1 --", "../..", "{}"]),
    ])()


def random_value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth < 3 and roll < 0.15:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if depth < 3 and roll < 0.3:
        return {rng.choice(FIELDS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return random_scalar(rng)


def random_body(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.6:  # an object over the real field names
        return json.dumps({rng.choice(FIELDS): random_value(rng)
                           for _ in range(rng.randint(0, 6))}).encode()
    if roll < 0.75:  # any JSON value
        return json.dumps(random_value(rng)).encode()
    if roll < 0.9:  # JSON-looking text, cut at a random point
        text = json.dumps({rng.choice(FIELDS): random_value(rng) for _ in range(3)})
        return text[:rng.randint(0, len(text))].encode()
    return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))  # noise


def test_fuzzed_bodies_never_cause_a_500(user_api, callers):
    rng = random.Random(20240611)
    failures = []
    endpoints = list(ENDPOINTS)
    for i in range(400):
        endpoint = endpoints[i % len(endpoints)]
        raw = random_body(rng)
        try:
            response = send(user_api, callers, endpoint, raw=raw)
        except requests.ConnectionError as e:
            failures.append((endpoint, raw[:80], f"connection error: {e}"))
            continue
        if response.status_code >= 500:
            failures.append((endpoint, raw[:80], response.status_code, response.text[:200]))
        elif response.status_code >= 400:
            assert response.headers["Content-Type"].startswith("application/problem+json")
    assert not failures, failures[:10]


def test_fuzzed_query_strings_and_paths_never_cause_a_500(user_api, callers):
    rng = random.Random(7)
    headers = {"Authorization": f"Bearer {callers['admin']}"}
    failures = []
    for _ in range(150):
        params = {rng.choice(["limit", "offset", "role", "is_active", "q", "x"]):
                  str(random_scalar(rng))[:200] for _ in range(rng.randint(1, 4))}
        response = user_api.get("/admin/users", params=params, headers=dict(headers))
        if response.status_code >= 500:
            failures.append((params, response.status_code, response.text[:200]))
        segment = requests.utils.quote(str(random_scalar(rng))[:50], safe="")
        response = user_api.get(f"/admin/users/{segment}", headers=dict(headers))
        if response.status_code >= 500:
            failures.append((segment, response.status_code, response.text[:200]))
    assert not failures, failures[:10]
