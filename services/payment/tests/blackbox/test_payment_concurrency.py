"""500 buyers over real HTTP for 10 units: exactly 10 purchases, never oversold, and the
payments table agrees with inventory."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import requests


def test_five_hundred_buyers_for_ten_units(api, paydb, invdb, launcher):
    product = api.new_product(price=500, stock=10)
    _, token = api.new_user()
    body = {"product_id": product, "quantity": 1, "payment_method": "card"}
    local = __import__("threading").local()

    def buy(i):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        return launcher.purchase(session, api.url("/api/payments"), token, body)

    with ThreadPoolExecutor(max_workers=100) as pool:
        results = list(pool.map(buy, range(500)))
    statuses = [s for s, _ in results]
    assert statuses.count(201) == 10, sorted(set(statuses))
    assert statuses.count(409) == 490, sorted(set(statuses))
    assert all(b["available"] == 0 for s, b in results if s == 409 and "available" in b)

    on_hand, reserved = invdb.execute(
        "SELECT on_hand, reserved FROM stock_items WHERE product_id = %s", (product,)).fetchone()
    assert (on_hand, reserved) == (10, 10)
    assert on_hand - reserved >= 0
    completed = {str(i) for (i,) in paydb.execute(
        "SELECT id FROM payments WHERE product_id = %s AND status = 'completed'",
        (product,)).fetchall()}
    assert completed == {b["id"] for s, b in results if s == 201}
    assert paydb.execute("SELECT count(*) FROM payments WHERE product_id = %s AND status = "
                         "'failed' AND failure_reason = 'out_of_stock'",
                         (product,)).fetchone()[0] == 490
    held = {i for (i,) in invdb.execute("SELECT id FROM reservations WHERE state = 'held' AND "
                                        "items = %s", (f"{product}:1",)).fetchall()}
    assert held == completed
