"""The purchase saga end to end over real user, product, inventory and payment services: every
final outcome, with the state it leaves in paymentdb and inventorydb."""
from __future__ import annotations

import re

from fo_testkit import problem

PAYMENT_FIELDS = {"id", "user_id", "product_id", "quantity", "amount", "currency", "status",
                  "payment_method", "transaction_id", "failure_reason", "created_at", "updated_at"}
UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def reservation(invdb, payment_id):
    row = invdb.execute("SELECT state, items FROM reservations WHERE id = %s",
                        (payment_id,)).fetchone()
    return row


def stock(invdb, product_id):
    return invdb.execute("SELECT on_hand, reserved FROM stock_items WHERE product_id = %s",
                         (product_id,)).fetchone()


def test_a_purchase_completes_holds_stock_and_writes_its_event(api, buyer, paydb, invdb):
    user_id, token = buyer
    product = api.new_product(price=1999, stock=5)
    response = api.buy(token, product, quantity=2)
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert "Idempotent-Replayed" not in response.headers
    payment = response.json()
    assert set(payment) == PAYMENT_FIELDS
    assert UUID7.match(payment["id"])
    assert (payment["user_id"], payment["product_id"], payment["quantity"], payment["amount"],
            payment["currency"], payment["status"], payment["payment_method"]) == \
        (user_id, product, 2, 3998, "USD", "completed", "card")
    assert payment["transaction_id"].startswith("sim_")
    assert payment["failure_reason"] is None
    assert payment["created_at"].endswith("Z")

    row = paydb.execute("SELECT status, amount, user_id, transaction_id FROM payments "
                        "WHERE id = %s", (payment["id"],)).fetchone()
    assert row == ("completed", 3998, user_id, payment["transaction_id"])
    assert reservation(invdb, payment["id"]) == ("held", f"{product}:2")
    assert stock(invdb, product) == (5, 2)
    events = paydb.execute("SELECT topic, key, type FROM outbox WHERE key = %s",
                           (payment["id"],)).fetchall()
    assert events == [("payment.events", payment["id"], "fo.events.v1.ProductPurchased")]
    charge = paydb.execute("SELECT status, amount, transaction_id FROM provider_charges "
                           "WHERE payment_id = %s", (payment["id"],)).fetchone()
    assert charge == ("charged", 3998, payment["transaction_id"])


def test_the_body_cannot_choose_the_user_or_the_amount(api, buyer, paydb):
    user_id, token = buyer
    product = api.new_product(price=100, stock=5)
    for field, value in (("user_id", 12345), ("amount", 1)):
        response = api.buy(token, product, **{field: value})
        assert field in {e["field"] for e in problem(response, 400)["errors"]}
    response = api.buy(token, product)
    assert response.json()["user_id"] == user_id and response.json()["amount"] == 100


def test_a_matching_currency_is_accepted_and_another_is_422(api, buyer):
    _, token = buyer
    product = api.new_product(price=300, currency="EUR", stock=5)
    assert api.buy(token, product, currency="EUR").status_code == 201
    body = problem(api.buy(token, product, currency="USD"), 422)
    assert "EUR" in body["detail"]


def test_a_decline_answers_402_and_releases_the_hold(api, buyer, paydb, invdb):
    _, token = buyer
    product = api.new_product(stock=3)
    response = api.buy(token, product, quantity=2, method="test_decline")
    body = problem(response, 402)
    assert "declined" in body["detail"]
    row = paydb.execute("SELECT id, status, failure_reason FROM payments WHERE product_id = %s",
                        (product,)).fetchone()
    assert row[1:] == ("failed", "declined")
    assert reservation(invdb, str(row[0]))[0] == "released"
    assert stock(invdb, product) == (3, 0)
    assert paydb.execute("SELECT type FROM outbox WHERE key = %s",
                         (str(row[0]),)).fetchall() == [("fo.events.v1.PaymentFailed",)]


def test_out_of_stock_is_409_with_what_is_available(api, buyer, paydb):
    _, token = buyer
    product = api.new_product(stock=3)
    body = problem(api.buy(token, product, quantity=4), 409)
    assert body["available"] == 3
    row = paydb.execute("SELECT status, failure_reason FROM payments WHERE product_id = %s",
                        (product,)).fetchone()
    assert row == ("failed", "out_of_stock")
    no_stock_row = api.new_product()
    assert problem(api.buy(token, no_stock_row), 409)["available"] == 0
    charges = paydb.execute("SELECT count(*) FROM provider_charges c JOIN payments p "
                            "ON p.id = c.payment_id WHERE p.product_id = %s",
                            (product,)).fetchone()[0]
    assert charges == 0


def test_an_inactive_or_unknown_user_is_403(api, stack, paydb):
    product = api.new_product(stock=5)
    user_id, token = api.new_user()
    deactivate = stack.user.put(f"/admin/users/{user_id}/active", {"is_active": False},
                                stack.admin())
    assert deactivate.status_code == 200, deactivate.text
    problem(api.buy(token, product), 403)
    problem(api.buy(stack.token(2**40 + 17), product), 403)  # a signed token for no account
    assert paydb.execute("SELECT count(*) FROM payments WHERE product_id = %s",
                         (product,)).fetchone()[0] == 0


def test_a_missing_product_is_404_and_an_inactive_one_422(api, buyer, paydb):
    _, token = buyer
    problem(api.buy(token, 2**40 + 5), 404)
    inactive = api.new_product(active=False, stock=5)
    problem(api.buy(token, inactive), 422)
    assert paydb.execute("SELECT count(*) FROM payments WHERE product_id = %s",
                         (inactive,)).fetchone()[0] == 0


def test_the_provider_being_down_is_503_and_leaves_nothing(api, buyer, paydb, invdb):
    _, token = buyer
    product = api.new_product(stock=3)
    key = f"down-{product}"
    response = api.buy(token, product, quantity=2, method="test_unavailable", key=key)
    problem(response, 503)
    row = paydb.execute("SELECT id, status, failure_reason FROM payments WHERE product_id = %s",
                        (product,)).fetchone()
    assert row[1:] == ("failed", "dependency_unavailable")
    assert reservation(invdb, str(row[0]))[0] == "released"
    assert stock(invdb, product) == (3, 0)
    assert paydb.execute("SELECT count(*) FROM provider_charges WHERE payment_id = %s",
                         (row[0],)).fetchone()[0] == 0
    # The key was freed: the same key may be retried (here with a method that works).
    assert paydb.execute("SELECT count(*) FROM idempotency_keys WHERE key = %s",
                         (key,)).fetchone()[0] == 0
    retry = api.buy(token, product, quantity=2, method="test_unavailable", key=key)
    problem(retry, 503)


def test_metrics_count_payments_by_status(api, buyer):
    _, token = buyer
    api.buy(token, api.new_product(stock=1))
    text = api.get("/metrics").text
    assert re.search(r'^payments_total\{status="completed"\} [1-9]', text, re.M), text[:2000]
    assert 'payment_saga_duration_seconds_bucket{outcome="completed"' in text


def test_the_provider_decline_rate_is_configurable(stack, paydb, invdb, launcher):
    payment = stack.start_payment(PAYMENT_PROVIDER_DECLINE_RATE="1")
    try:
        _, token = payment.new_user()
        product = payment.new_product(stock=2)
        for _ in range(3):
            problem(payment.buy(token, product), 402)
        assert stock(invdb, product) == (2, 0)
        assert paydb.execute("SELECT count(*) FROM payments WHERE product_id = %s AND status = "
                             "'failed' AND failure_reason = 'declined'",
                             (product,)).fetchone()[0] == 3
    finally:
        launcher.stop_cleanly(payment.service, "payment service")
