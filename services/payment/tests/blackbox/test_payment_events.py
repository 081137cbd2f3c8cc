"""Events end to end on the real Kafka broker: payment's outbox -> payment.events -> inventory's
inbox (commit, release, return) -> inventory's outbox -> inventory.events -> product's stock view.

Redelivery of the same event has no second effect, a poison record goes to the dead-letter topic
without blocking its partition, and purchases made while the broker is down succeed and have
their effect exactly once after it is back. This module runs its own user, product, inventory
and payment services on databases of its own, each consumer group starting at the end of its
topic, so nothing another suite (or an earlier run) left on the broker reaches them."""
from __future__ import annotations

import os
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
from fo_kafka import (INVENTORY_TOPIC, PAYMENT_DLQ, PAYMENT_TOPIC, end_offsets, produce,
                      read_from, seed_group_at_end, wait_handled)
from fo_testkit import (HttpApi, mint_token, required_env, wait_for, write_ec_key,
                        write_public_key)

REPO = Path(__file__).resolve().parents[4]
SERVICES = ("user", "product", "inventory", "payment")


class Events:
    """The four services wired to Kafka, and what the tests ask of them."""

    def __init__(self, launcher, tmp: Path, brokers: str):
        self.brokers = brokers
        self.urls = {name: self._fresh_database(name) for name in SERVICES}
        self.key = write_ec_key(tmp / "jwt.pem")
        public = write_public_key(self.key, tmp / "jwt.pub")
        run = uuid.uuid4().hex[:8]
        self.groups = {"inventory": f"inventory-events-{run}", "product": f"product-events-{run}"}
        seed_group_at_end(brokers, self.groups["inventory"], PAYMENT_TOPIC)
        seed_group_at_end(brokers, self.groups["product"], INVENTORY_TOPIC)
        kafka = {"KAFKA_BROKERS": brokers, "KAFKA_DELIVERY_TIMEOUT_MS": "5000",
                 "OUTBOX_POLL_INTERVAL_MS": "20", **launcher.under_load}
        self.services = []
        user, user_base, user_grpc = self._start(launcher, "user", {
            "JWT_PRIVATE_KEY_FILE": str(tmp / "jwt.pem"), "PASSWORD_HASH_COST": "minimum",
            "ADMIN_USERNAME": launcher.admin_username, "ADMIN_PASSWORD": uuid.uuid4().hex})
        self.admin_token = mint_token(self.key, str(launcher.admin_id(self.urls["user"])), "admin")
        verify = {"JWT_PUBLIC_KEY_FILE": str(public), **kafka}
        product, product_base, product_grpc = self._start(launcher, "product", {
            **verify, "KAFKA_GROUP_ID": self.groups["product"]})
        inventory, inventory_base, inventory_grpc = self._start(launcher, "inventory", {
            **verify, "KAFKA_GROUP_ID": self.groups["inventory"],
            "PRODUCT_GRPC_TARGET": product_grpc})
        payment, payment_base, _ = self._start(launcher, "payment", {
            **verify, "USER_GRPC_TARGET": user_grpc, "PRODUCT_GRPC_TARGET": product_grpc,
            "INVENTORY_GRPC_TARGET": inventory_grpc, "DB_POOL_SIZE": "20"})
        self.user = HttpApi(user_base, user)
        self.product = HttpApi(product_base, product)
        self.inventory = HttpApi(inventory_base, inventory)
        self.payment = HttpApi(payment_base, payment)

    def _fresh_database(self, name: str) -> str:
        base = required_env(f"FO_E2E_{name.upper()}_DATABASE_URL")
        database = f"fo_e2e_events_{name}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {database}")
        return base.rsplit("/", 1)[0] + "/" + database

    def _start(self, launcher, name: str, env: dict[str, str]):
        env = {f"{name.upper()}_DATABASE_URL": self.urls[name], **env}
        service, base, grpc = launcher.start(f"services/{name}/{name}", env)
        self.services.append((service, name))
        return service, base, grpc

    def stop(self, launcher):
        for service, name in reversed(self.services):
            launcher.stop_cleanly(service, f"{name} service")

    def sql(self, service: str, query: str, *args):
        with psycopg.connect(self.urls[service], autocommit=True) as conn:
            return conn.execute(query, args).fetchall()

    def new_buyer(self) -> str:
        name = "e" + uuid.uuid4().hex[:12]
        response = self.user.post("/auth/register", {
            "username": name, "email": f"{name}@example.com", "password": "password123",
            "full_name": "Events " + name})
        assert response.status_code == 201, response.text
        return mint_token(self.key, str(response.json()["id"]), "user")

    def new_product(self, stock: int) -> int:
        sku = "ev-" + uuid.uuid4().hex[:12]
        response = self.product.post("/api/products", {
            "name": f"Events {sku}", "sku": sku, "price": 700, "currency": "USD",
            "category": "events"}, self.admin_token)
        assert response.status_code == 201, response.text
        product_id = response.json()["id"]
        response = self.inventory.post("/api/inventory", {"product_id": product_id,
                                                          "quantity": stock}, self.admin_token)
        assert response.status_code == 201, response.text
        return product_id

    def buy(self, token: str, product_id: int, quantity: int = 1):
        return self.payment.post("/api/payments", {"product_id": product_id, "quantity": quantity,
                                                   "payment_method": "card"}, token,
                                 headers={"Idempotency-Key": uuid.uuid4().hex})

    def reservation_state(self, payment_id: str) -> str | None:
        rows = self.sql("inventory", "SELECT state FROM reservations WHERE id = %s", payment_id)
        return rows[0][0] if rows else None

    def stock(self, product_id: int) -> tuple[int, int]:
        return self.sql("inventory", "SELECT on_hand, reserved FROM stock_items "
                        "WHERE product_id = %s", product_id)[0]

    def movements(self, payment_id: str, kind: str) -> int:
        return self.sql("inventory", "SELECT count(*) FROM inventory_movements "
                        "WHERE reservation_id = %s AND kind = %s", payment_id, kind)[0][0]

    def product_stock(self, product_id: int) -> int:
        response = self.product.get(f"/api/products/{product_id}")
        assert response.status_code == 200, response.text
        return response.json()["stock"]

    def records_of(self, start: dict[int, int], payment_id: str, count: int = 1):
        return read_from(self.brokers, PAYMENT_TOPIC, start,
                         lambda rs: sum(r["key"] == payment_id for r in rs) >= count)

    def wait_state(self, payment_id: str, state: str, timeout: float = 30):
        wait_for(f"reservation {payment_id} {state}",
                 lambda: self.reservation_state(payment_id) == state, timeout)


@pytest.fixture(scope="module")
def events(launcher, tmp_path_factory):
    stack = Events(launcher, tmp_path_factory.mktemp("events"), required_env("KAFKA_BROKERS"))
    try:
        yield stack
    finally:
        stack.stop(launcher)


def test_a_purchase_reaches_inventory_and_the_product_view_through_kafka(events):
    product = events.new_product(stock=5)
    wait_for("the stock view", lambda: events.product_stock(product) == 5)
    start = end_offsets(events.brokers, PAYMENT_TOPIC)
    response = events.buy(events.new_buyer(), product, quantity=2)
    assert response.status_code == 201, response.text
    payment_id = response.json()["id"]

    events.wait_state(payment_id, "committed")
    assert events.stock(product) == (3, 0)
    wait_for("the product's stock view", lambda: events.product_stock(product) == 3)

    (event_id, published), = events.sql(
        "payment", "SELECT id::text, published_at IS NOT NULL FROM outbox WHERE key = %s", payment_id)
    assert published
    assert events.sql("inventory", "SELECT count(*) FROM inbox WHERE event_id = %s",
                      event_id)[0][0] == 1
    record = next(r for r in events.records_of(start, payment_id) if r["key"] == payment_id)
    headers = record["headers"]
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_id"] == event_id
    assert headers["ce_type"] == "fo.events.v1.ProductPurchased"
    assert headers["ce_source"] == "/payment"
    assert headers["content-type"] == "application/protobuf"
    assert len(headers["traceparent"].split("-")) == 4


def test_a_redelivered_purchase_event_has_no_second_effect(events):
    product = events.new_product(stock=4)
    start = end_offsets(events.brokers, PAYMENT_TOPIC)
    response = events.buy(events.new_buyer(), product)
    assert response.status_code == 201, response.text
    payment_id = response.json()["id"]
    events.wait_state(payment_id, "committed")
    record = next(r for r in events.records_of(start, payment_id) if r["key"] == payment_id)

    again = produce(events.brokers, PAYMENT_TOPIC, record["key"], record["value"],
                    record["headers"])
    wait_handled(events.brokers, events.groups["inventory"], again)
    assert events.stock(product) == (3, 0)
    assert events.movements(payment_id, "committed") == 1
    assert events.sql("inventory", "SELECT count(*) FROM inbox WHERE event_id = %s",
                      record["headers"]["ce_id"])[0][0] == 1


def test_a_refund_returns_the_stock_once(events):
    product = events.new_product(stock=3)
    response = events.buy(events.new_buyer(), product, quantity=2)
    assert response.status_code == 201, response.text
    payment_id = response.json()["id"]
    events.wait_state(payment_id, "committed")
    start = end_offsets(events.brokers, PAYMENT_TOPIC)
    refund = events.payment.post(f"/api/payments/{payment_id}/refund", None, events.admin_token)
    assert refund.status_code == 200, refund.text
    assert refund.json()["status"] == "refunded"

    events.wait_state(payment_id, "returned")
    assert events.stock(product) == (3, 0)
    wait_for("the product's stock view", lambda: events.product_stock(product) == 3)
    record = next(r for r in events.records_of(start, payment_id)
                  if r["headers"]["ce_type"] == "fo.events.v1.PaymentRefunded")
    again = produce(events.brokers, PAYMENT_TOPIC, record["key"], record["value"],
                    record["headers"])
    wait_handled(events.brokers, events.groups["inventory"], again)
    assert events.stock(product) == (3, 0)
    assert events.movements(payment_id, "returned") == 1


def test_a_poison_record_goes_to_the_dlq_and_its_partition_moves_on(events):
    partitions = sorted(end_offsets(events.brokers, PAYMENT_TOPIC))
    dlq_start = end_offsets(events.brokers, PAYMENT_DLQ)
    poison = [produce(events.brokers, PAYMENT_TOPIC, f"poison-{p}", b"\xff not an event",
                      {"x-test": "poison"}, partition=p) for p in partitions]
    # Whatever partition the purchase's event lands on, a poison record is ahead of it.
    product = events.new_product(stock=2)
    response = events.buy(events.new_buyer(), product)
    assert response.status_code == 201, response.text
    events.wait_state(response.json()["id"], "committed")
    for record in poison:
        wait_handled(events.brokers, events.groups["inventory"], record)

    dead = read_from(events.brokers, PAYMENT_DLQ, dlq_start,
                     lambda rs: sum(r["key"].startswith("poison-") for r in rs) >= len(poison))
    dead = [r for r in dead if r["key"].startswith("poison-")]
    assert sorted(int(r["headers"]["dlq.original.partition"]) for r in dead) == partitions
    for record in dead:
        assert record["value"] == b"\xff not an event"
        assert record["headers"]["dlq.original.topic"] == PAYMENT_TOPIC
        assert record["headers"]["dlq.attempts"] == "1"  # poison is not retried
        assert "CloudEvent" in record["headers"]["dlq.reason"]


def kafka(command: str) -> None:
    name = os.environ.get("FO_INFRA_NAME", "test")
    subprocess.run([str(REPO / "scripts/infra"), command, name], check=True,
                   stdout=subprocess.DEVNULL, timeout=120)


def test_purchases_during_a_broker_outage_take_effect_once_it_is_back(events):
    product = events.new_product(stock=10)
    token = events.new_buyer()
    kafka("kafka-down")
    try:
        paid = []
        for _ in range(5):
            response = events.buy(token, product)
            assert response.status_code == 201, response.text
            paid.append(response.json()["id"])
        time.sleep(1)
        pending = events.sql("payment", "SELECT count(*) FROM outbox WHERE key = ANY(%s) "
                             "AND published_at IS NULL", paid)[0][0]
        assert pending == 5  # waiting in the outbox, not lost
        assert all(events.reservation_state(p) == "held" for p in paid)
    finally:
        kafka("kafka-up")
    for payment_id in paid:
        events.wait_state(payment_id, "committed", timeout=90)
        assert events.movements(payment_id, "committed") == 1
    assert events.stock(product) == (5, 0)
    wait_for("the product's stock view", lambda: events.product_stock(product) == 5, 60)
    assert events.sql("payment", "SELECT count(*) FROM outbox WHERE key = ANY(%s) "
                      "AND published_at IS NULL", paid)[0][0] == 0


def test_parallel_buyers_payments_reservations_movements_and_events_agree(events, launcher):
    product = events.new_product(stock=10)
    tokens = [events.new_buyer() for _ in range(20)]
    start = end_offsets(events.brokers, PAYMENT_TOPIC)

    body = {"product_id": product, "quantity": 1, "payment_method": "card"}

    def buy(i):
        return launcher.purchase(requests.Session(), events.payment.url("/api/payments"),
                                 tokens[i % len(tokens)], body)

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(buy, range(500)))
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 10 and statuses.count(409) == 490, sorted(set(statuses))
    paid = {body["id"] for status, body in results if status == 201}

    for payment_id in paid:
        events.wait_state(payment_id, "committed")
    assert events.stock(product) == (0, 0)
    completed = {row[0] for row in events.sql(
        "payment", "SELECT id::text FROM payments WHERE product_id = %s AND status = 'completed'",
        product)}
    assert completed == paid
    kinds = dict(events.sql("inventory", "SELECT kind, count(*) FROM inventory_movements "
                            "WHERE product_id = %s GROUP BY kind", product))
    # A hold whose purchase failed afterwards (a retried 503) is released: it still adds up.
    assert kinds.get("committed") == 10
    assert kinds.get("reserved", 0) - kinds.get("released", 0) - kinds.get("expired", 0) == 10
    assert set(kinds) <= {"created", "reserved", "committed", "released", "expired"}
    records = read_from(events.brokers, PAYMENT_TOPIC, start, lambda rs: sum(
        r["headers"].get("ce_type") == "fo.events.v1.ProductPurchased" and r["key"] in paid
        for r in rs) >= 10)
    purchased = {r["key"] for r in records
                 if r["headers"].get("ce_type") == "fo.events.v1.ProductPurchased"}
    assert paid <= purchased
    wait_for("the product's stock view", lambda: events.product_stock(product) == 0)
