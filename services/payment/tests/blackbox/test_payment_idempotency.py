"""Idempotency-Key semantics (Stripe's): replay, reuse for another request, in flight, parallel
retries, and per-user keys."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from fo_testkit import problem


def test_the_same_request_replays_status_and_body_byte_for_byte(api, buyer, paydb):
    _, token = buyer
    product = api.new_product(stock=5)
    key = f"replay-{product}"
    first = api.buy(token, product, quantity=2, key=key)
    assert first.status_code == 201
    again = api.buy(token, product, quantity=2, key=key)
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    # The same decoded request written differently is the same request.
    reordered = api.request("POST", "/api/payments", token,
                            data=b'{ "payment_method":"card",  "quantity":2, "product_id":%d }'
                            % product,
                            headers={"Idempotency-Key": key, "Content-Type": "application/json"})
    assert reordered.status_code == 201 and reordered.content == first.content
    assert paydb.execute("SELECT count(*) FROM payments WHERE product_id = %s",
                         (product,)).fetchone()[0] == 1


def test_refusals_replay_too(api, buyer):
    _, token = buyer
    product = api.new_product(stock=1)
    first = api.buy(token, product, quantity=5, key=f"oos-{product}")
    problem(first, 409)
    again = api.buy(token, product, quantity=5, key=f"oos-{product}")
    assert (again.status_code, again.content) == (409, first.content)
    assert again.headers["Content-Type"].startswith("application/problem+json")
    assert again.headers["Idempotent-Replayed"] == "true"


def test_the_same_key_for_another_request_is_422(api, buyer):
    _, token = buyer
    product = api.new_product(stock=5)
    key = f"reuse-{product}"
    assert api.buy(token, product, quantity=1, key=key).status_code == 201
    body = problem(api.buy(token, product, quantity=2, key=key), 422)
    assert "Idempotency-Key" in body["detail"]
    problem(api.buy(token, product, quantity=1, key=key, currency="USD"), 422)


def test_keys_belong_to_their_user(api, buyer):
    _, token = buyer
    _, other = api.new_user()
    product = api.new_product(stock=5)
    key = f"shared-{product}"
    a = api.buy(token, product, key=key)
    b = api.buy(other, product, key=key)
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


@pytest.fixture(scope="module")
def slow(stack):
    """A payment instance whose provider takes 1.5 s per charge."""
    payment = stack.start_payment(PAYMENT_PROVIDER_LATENCY_MS=1500)
    try:
        yield payment
    finally:
        code = payment.service.stop()
        assert code == 0, payment.service.output()[-3000:]


def test_a_key_still_in_flight_is_409(slow, buyer, paydb):
    _, token = buyer
    product = slow.new_product(stock=5)
    key = f"inflight-{product}"
    results = {}
    first = threading.Thread(target=lambda: results.update(first=slow.buy(token, product,
                                                                          key=key)))
    first.start()
    # Wait until the first attempt has claimed the key, then retry it.
    for _ in range(100):
        if paydb.execute("SELECT count(*) FROM idempotency_keys WHERE key = %s",
                         (key,)).fetchone()[0]:
            break
        threading.Event().wait(0.02)
    busy = slow.buy(token, product, key=key)
    body = problem(busy, 409)
    assert "in progress" in body["detail"]
    assert busy.headers["Retry-After"] == "1"
    first.join()
    assert results["first"].status_code == 201
    assert slow.buy(token, product, key=key).content == results["first"].content


def test_twenty_parallel_retries_of_one_key_make_one_payment(slow, buyer, paydb):
    _, token = buyer
    product = slow.new_product(stock=50)
    key = f"storm-{product}"
    body = {"product_id": product, "quantity": 1, "payment_method": "card"}

    def attempt(_):
        return requests.post(slow.url("/api/payments"), json=body, timeout=30,
                             headers={"Authorization": f"Bearer {token}",
                                      "Idempotency-Key": key})

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = sorted(r.status_code for r in pool.map(attempt, range(20)))
    assert set(statuses) <= {201, 409}, statuses
    assert statuses.count(201) >= 1
    assert paydb.execute("SELECT count(*) FROM payments WHERE product_id = %s",
                         (product,)).fetchone()[0] == 1
    assert paydb.execute("SELECT count(*) FROM provider_charges c JOIN payments p ON "
                         "p.id = c.payment_id WHERE p.product_id = %s",
                         (product,)).fetchone()[0] == 1
