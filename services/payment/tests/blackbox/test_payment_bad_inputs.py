"""Every malformed request is a 4xx problem+json naming what is wrong; none reaches the saga
(no payment row) and none is a 500."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
from fo_testkit import field_errors, mint_token, problem
from cryptography.hazmat.primitives.asymmetric import ec

# A product no test creates: if a bad input ever got through, the last test would find it.
UNUSED_PRODUCT = 987_654_321
GOOD = {"product_id": UNUSED_PRODUCT, "quantity": 1, "payment_method": "card"}


def post_raw(api, token, data: bytes, key="bad-input-key", content_type="application/json"):
    headers = {"Content-Type": content_type}
    if key is not None:
        headers["Idempotency-Key"] = key
    return api.request("POST", "/api/payments", token, data=data, headers=headers)


@pytest.mark.parametrize("body, field", [
    ({"quantity": 1, "payment_method": "card"}, "product_id"),
    ({**GOOD, "product_id": "1"}, "product_id"),
    ({**GOOD, "product_id": 0}, "product_id"),
    ({**GOOD, "product_id": -5}, "product_id"),
    ({**GOOD, "product_id": 1.5}, "product_id"),
    ({**GOOD, "product_id": None}, "product_id"),
    ({"product_id": 1, "payment_method": "card"}, "quantity"),
    ({**GOOD, "quantity": 0}, "quantity"),
    ({**GOOD, "quantity": 1001}, "quantity"),
    ({**GOOD, "quantity": "2"}, "quantity"),
    ({**GOOD, "quantity": True}, "quantity"),
    ({**GOOD, "quantity": 2**63}, "quantity"),
    ({"product_id": 1, "quantity": 1}, "payment_method"),
    ({**GOOD, "payment_method": ""}, "payment_method"),
    ({**GOOD, "payment_method": "x" * 65}, "payment_method"),
    ({**GOOD, "payment_method": "Card"}, "payment_method"),
    ({**GOOD, "payment_method": "credit card"}, "payment_method"),
    ({**GOOD, "payment_method": 7}, "payment_method"),
    ({**GOOD, "currency": "usd"}, "currency"),
    ({**GOOD, "currency": "US"}, "currency"),
    ({**GOOD, "currency": "DOLLARS"}, "currency"),
    ({**GOOD, "currency": 840}, "currency"),
    ({**GOOD, "status": "completed"}, "status"),
    ({**GOOD, "amount": 1}, "amount"),
])
def test_bad_fields_are_400_naming_the_field(api, buyer, body, field):
    _, token = buyer
    response = api.post("/api/payments", body, token, headers={"Idempotency-Key": "k-" + field})
    assert field in field_errors(response), response.text


@pytest.mark.parametrize("data", [b"{", b"[]", b"null", b"\"text\"", b"", b"{\"a\":1,}",
                                  b"\xff\xfe", b"{\"product_id\": 1e400}"])
def test_malformed_bodies_are_400(api, buyer, data):
    _, token = buyer
    problem(post_raw(api, token, data), 400)


def test_a_non_json_content_type_is_refused(api, buyer):
    _, token = buyer
    response = post_raw(api, token, json.dumps(GOOD).encode(), content_type="text/plain")
    assert response.status_code in (400, 415), response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_an_oversized_body_is_refused(api, buyer):
    _, token = buyer
    data = json.dumps({**GOOD, "payment_method": "a" * 100_000}).encode()
    response = post_raw(api, token, data)
    assert response.status_code in (400, 413), response.status_code


@pytest.mark.parametrize("key", [None, "", "k" * 256, "caf\u00e9", "tab\tkey"])
def test_a_missing_or_bad_idempotency_key_is_400_naming_the_header(api, buyer, key):
    _, token = buyer
    headers = {} if key is None else {"Idempotency-Key": key.encode("utf-8")}
    response = api.request("POST", "/api/payments", token, json=GOOD, headers=headers)
    assert "Idempotency-Key" in field_errors(response), response.text


def test_the_longest_key_is_accepted(api, buyer):
    _, token = buyer
    product = api.new_product(stock=1)
    response = api.buy(token, product, key="k" * 255)
    assert response.status_code == 201, response.text


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("case", ["none", "garbage", "expired", "alg_none", "other_key",
                                  "hs256_confusion", "wrong_audience"])
def test_bad_tokens_are_401(api, stack, case):
    now = int(time.time())
    if case == "none":
        token = None
    elif case == "garbage":
        token = "not.a.token"
    elif case == "expired":
        token = stack.token(5, exp=now - 60, iat=now - 600)
    elif case == "alg_none":
        token = b64({"alg": "none", "typ": "JWT"}) + "." + b64(
            {"sub": "5", "role": "admin", "exp": now + 300, "iat": now,
             "iss": "full-observability/user", "aud": "full-observability"}) + "."
    elif case == "other_key":
        token = mint_token(ec.generate_private_key(ec.SECP256R1()), "5", "user")
    elif case == "hs256_confusion":
        # HMAC keyed with the public key PEM (algorithm confusion), signed by hand: PyJWT
        # refuses to do it.
        signing_input = b64({"alg": "HS256", "typ": "JWT", "kid": "user-1"}) + "." + b64(
            {"sub": "5", "role": "admin", "exp": now + 300, "iat": now,
             "iss": "full-observability/user", "aud": "full-observability"})
        mac = hmac.new(stack.public.read_bytes(), signing_input.encode(), hashlib.sha256)
        token = signing_input + "." + base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
    else:
        token = stack.token(5, aud="someone-else")
    for method, path in (("POST", "/api/payments"), ("GET", "/api/payments/my"),
                         ("GET", "/api/payments")):
        response = api.request(method, path, token, json=GOOD,
                               headers={"Idempotency-Key": "tok"})
        problem(response, 401)


def test_non_admins_cannot_list_all_or_refund(api, buyer):
    _, token = buyer
    problem(api.get("/api/payments", token), 403)
    problem(api.post("/api/payments/0190b8a3-4c5d-7e6f-8a9b-0c1d2e3f4a5b/refund", None, token),
            403)


@pytest.mark.parametrize("path", ["/api/payments/not-a-uuid", "/api/payments/123",
                                  "/api/payments/%00"])
def test_a_malformed_payment_id_is_400(api, buyer, path):
    _, token = buyer
    assert "id" in field_errors(api.get(path, token))


def test_bad_list_filters_are_400(api, admin):
    assert "status" in field_errors(api.get("/api/payments?status=paid", admin))
    assert "user_id" in field_errors(api.get("/api/payments?user_id=abc", admin))
    assert "user_id" in field_errors(api.get("/api/payments?user_id=0", admin))
    assert "limit" in field_errors(api.get("/api/payments/my?limit=x", admin))


def test_bad_inputs_left_no_payment(api, buyer, paydb):
    user_id, _ = buyer
    assert paydb.execute("SELECT count(*) FROM payments WHERE user_id = %s AND product_id = %s",
                         (user_id, UNUSED_PRODUCT)).fetchone()[0] == 0
