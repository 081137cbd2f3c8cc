"""Dependencies going away and the payment process dying mid-saga: nothing is left half-done,
nothing stays pending, no charge is kept for a failed payment, no stock stays held for one."""
from __future__ import annotations

import random
import threading
import time
import uuid

import requests
from fo_testkit import free_port, problem


def test_inventory_down_is_503_and_nothing_stays_held(stack, api, paydb, invdb, launcher):
    inventory, inventory_base, inventory_grpc = stack.start_inventory()
    payment = stack.start_payment(inventory_grpc=inventory_grpc)
    try:
        _, token = payment.new_user()
        product = payment.new_product(stock=5)
        assert payment.buy(token, product).status_code == 201
        inventory.stop()
        key = launcher.unique("inv-down")
        problem(payment.buy(token, product, quantity=2, key=key), 503)
        row = paydb.execute("SELECT id, status, failure_reason FROM payments WHERE product_id = %s "
                            "AND quantity = 2", (product,)).fetchone()
        assert row[1:] == ("failed", "dependency_unavailable")
        state = invdb.execute("SELECT state FROM reservations WHERE id = %s",
                              (str(row[0]),)).fetchone()
        assert state is None or state[0] != "held"
        assert invdb.execute("SELECT reserved FROM stock_items WHERE product_id = %s",
                             (product,)).fetchone() == (1,)
        assert paydb.execute("SELECT count(*) FROM provider_charges WHERE payment_id = %s",
                             (row[0],)).fetchone()[0] == 0
        assert paydb.execute("SELECT count(*) FROM idempotency_keys WHERE key = %s",
                             (key,)).fetchone()[0] == 0
        # The same key works again through a payment instance whose inventory is up.
        assert api.buy(token, product, quantity=2, key=key).status_code == 201
    finally:
        inventory.stop()
        launcher.stop_cleanly(payment.service, "payment service")


def test_user_directory_unreachable_is_503_without_a_payment(stack, paydb, launcher):
    payment = stack.start_payment(USER_GRPC_TARGET=f"127.0.0.1:{free_port()}",
                                  PAYMENT_GRPC_TIMEOUT_MS=500)
    try:
        product = payment.new_product(stock=5)
        problem(payment.buy(stack.token(4242), product), 503)
        assert paydb.execute("SELECT count(*) FROM payments WHERE product_id = %s",
                             (product,)).fetchone()[0] == 0
    finally:
        launcher.stop_cleanly(payment.service, "payment service")


def buyers(payment, token, products, stop: threading.Event, keys: list):
    """Buys in a loop until the process dies; keeps every key it used."""
    session = requests.Session()
    while not stop.is_set():
        product = random.choice(products)
        key = f"kill-{uuid.uuid4().hex}"
        keys.append(key)
        method = random.choice(["card", "card", "card", "test_decline"])
        try:
            session.post(payment.url("/api/payments"), timeout=10, headers={
                "Authorization": f"Bearer {token}", "Idempotency-Key": key},
                json={"product_id": product, "quantity": random.randint(1, 3),
                      "payment_method": method})
        except requests.RequestException:
            return


def test_kill_nine_mid_saga_then_recovery_settles_everything(stack, paydb, invdb, launcher):
    settings = {"PAYMENT_PROVIDER_LATENCY_MS": 300, "PAYMENT_RECOVERY_AFTER_SECONDS": 1}
    first = stack.start_payment(**settings)
    _, token = first.new_user()
    products = [first.new_product(stock=40) for _ in range(2)]
    keys: list[str] = []
    payment = first
    for round_ in range(6):
        if round_:
            payment = stack.start_payment(**settings)
        stop = threading.Event()
        threads = [threading.Thread(target=buyers, args=(payment, token, products, stop, keys))
                   for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.5, 1.5))
        payment.service.process.kill()  # SIGKILL, mid-saga
        payment.service.process.wait()
        stop.set()
        for t in threads:
            t.join()
        payment.service.stop()

    survivor = stack.start_payment(**settings)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pending = paydb.execute("SELECT count(*) FROM payments WHERE product_id = ANY(%s) "
                                    "AND status = 'pending'", (products,)).fetchone()[0]
            in_flight = paydb.execute("SELECT count(*) FROM idempotency_keys WHERE key = ANY(%s) "
                                      "AND state = 'in_flight'", (keys,)).fetchone()[0]
            if pending == 0 and in_flight == 0:
                break
            time.sleep(0.2)
        assert (pending, in_flight) == (0, 0)

        payments = paydb.execute(
            "SELECT p.id::text, p.product_id, p.quantity, p.status, c.status "
            "FROM payments p LEFT JOIN provider_charges c ON c.payment_id = p.id "
            "WHERE p.product_id = ANY(%s)", (products,)).fetchall()
        assert payments, "no purchase got as far as a payment row"
        interrupted = paydb.execute("SELECT count(*) FROM payments WHERE product_id = ANY(%s) "
                                    "AND failure_reason = 'interrupted'", (products,)).fetchone()[0]
        assert interrupted > 0, "no kill landed mid-saga"
        states = {pid: (state, items) for pid, state, items in invdb.execute(
            "SELECT id, state, items FROM reservations WHERE id = ANY(%s)",
            ([p[0] for p in payments],)).fetchall()}
        reserved_by_product = {product: 0 for product in products}
        for pid, product, quantity, status, charge in payments:
            assert status in ("completed", "failed"), (pid, status)
            state, items = states.get(pid, (None, None))
            if status == "completed":
                assert state in ("held", "committed"), (pid, state)
                assert items == f"{product}:{quantity}", (pid, items)
                assert charge == "charged", (pid, charge)
                reserved_by_product[product] += quantity
            else:
                assert state != "held", pid
                assert charge in (None, "declined", "refunded"), (pid, charge)
        for product in products:
            on_hand, reserved = invdb.execute(
                "SELECT on_hand, reserved FROM stock_items WHERE product_id = %s",
                (product,)).fetchone()
            assert reserved == reserved_by_product[product], product
            assert 0 <= reserved <= on_hand
        # Every key the clients used is either finished or gone: none is stuck in flight.
        assert paydb.execute("SELECT count(*) FROM idempotency_keys WHERE key = ANY(%s) AND "
                             "state = 'in_flight'", (keys,)).fetchone()[0] == 0
    finally:
        launcher.stop_cleanly(survivor.service, "payment service")
