"""Prometheus scrapes every service of the running system, its counters agree with the traffic
sent, and after a short load run that exercises every path a dashboard shows (purchases that
succeed, are declined, replayed or out of stock; cached reads; a poison event dead-lettered)
every panel's query of every Grafana dashboard returns data."""
from __future__ import annotations

import json
import math
import re
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from fo_kafka import PAYMENT_TOPIC, produce
from fo_stack import SERVICES, prometheus, scalar
from fo_testkit import wait_for

GRAFANA = Path(__file__).resolve().parents[2] / "deploy/grafana"
sys.path.insert(0, str(GRAFANA))
import generate  # noqa: E402  (deploy/grafana/generate.py writes the dashboards)

DASHBOARDS = {path.name: json.loads(path.read_text())
              for path in sorted((GRAFANA / "dashboards").glob("*.json"))}


def panels() -> list[tuple[str, str, str]]:
    return [(name, panel["title"], target["expr"]) for name, board in DASHBOARDS.items()
            for panel in board["panels"] for target in panel["targets"]]


def own_counter(stack, service: str, family: str, **labels) -> float:
    """The value of one counter on the service's own /metrics (0 before its first increment)."""
    text = requests.get(stack.base(service) + "/metrics", timeout=10).text
    want = {f'{k}="{v}"' for k, v in labels.items()}
    total = 0.0
    for line in text.splitlines():
        match = re.match(rf"^{family}\{{(.*)\}} (\S+)$", line)
        if match and want <= set(match.group(1).split(",")):
            total += float(match.group(2))
    return total


@pytest.fixture(scope="module")
def scraped(full_stack):
    wait_for("every service scraped", lambda: {r["metric"]["job"] for r in prometheus("up == 1")}
             >= set(SERVICES), timeout=30)
    return full_stack


def test_every_service_is_scraped_under_its_own_name(scraped):
    jobs = {r["metric"]["job"]: r["metric"]["instance"] for r in prometheus("up")}
    for name in SERVICES:
        assert jobs[name] == f"127.0.0.1:{scraped.http[name]}", jobs


def test_the_request_counter_in_prometheus_is_the_number_of_requests_sent(scraped):
    labels = {"route": "unmatched", "status": "404"}
    before = own_counter(scraped, "gateway", "http_server_requests_total", **labels)
    sent = 37
    for i in range(sent):
        assert requests.get(f"{scraped.gateway()}/no/such/{i}", timeout=10).status_code == 404
    after = own_counter(scraped, "gateway", "http_server_requests_total", **labels)
    assert after - before == sent
    expr = 'sum(http_server_requests_total{job="gateway",route="unmatched",status="404"})'
    wait_for("Prometheus to see the gateway's count", lambda: scalar(expr) == after, timeout=20)


def one_round_of_traffic(stack, admin: str, buyer: str) -> None:
    """Every kind of request a panel shows: purchases completed, declined, out of stock and
    replayed; catalog reads, missed then cached; a user route; a poison event."""
    product = stack.new_product(admin, stock=6)
    scarce = stack.new_product(admin, stock=1)
    for _ in range(4):
        assert stack.buy(buyer, product).status_code == 201
    assert stack.buy(buyer, product, method="test_decline").status_code == 402
    assert stack.buy(buyer, scarce).status_code == 201
    assert stack.buy(buyer, scarce).status_code == 409
    key = uuid.uuid4().hex
    headers = {"Authorization": f"Bearer {buyer}", "Idempotency-Key": key}
    body = {"product_id": product, "quantity": 1, "payment_method": "card"}
    first = requests.post(stack.gateway() + "/api/payments", json=body, headers=headers, timeout=30)
    again = requests.post(stack.gateway() + "/api/payments", json=body, headers=headers, timeout=30)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    for _ in range(3):  # a miss, then hits
        assert requests.get(f"{stack.gateway()}/api/products/{product}", timeout=10).status_code == 200
    assert requests.get(stack.gateway() + "/users/me", timeout=10,
                        headers={"Authorization": f"Bearer {buyer}"}).status_code == 200
    produce(stack.brokers, PAYMENT_TOPIC, f"poison-{uuid.uuid4().hex[:8]}", b"\xff not an event",
            {"x-test": "poison"})
    # The purchases' events reach the product service's stock view through inventory.
    wait_for("stock view updated", lambda: requests.get(
        f"{stack.base('product')}/api/products/{scarce}", timeout=10).json().get("stock") == 0)


ROUNDS = 2


def test_logins_and_registrations_are_counted_by_outcome(scraped):
    def counts():
        return {(family, outcome): own_counter(scraped, "user", family, outcome=outcome)
                for family, outcome in (("user_logins_total", "succeeded"),
                                        ("user_logins_total", "rejected"),
                                        ("user_registrations_total", "created"),
                                        ("user_registrations_total", "conflict"),
                                        ("user_registrations_total", "invalid"))}
    before = counts()
    scraped.new_buyer()  # one registration, one login
    user = scraped.base("user")
    assert requests.post(user + "/auth/login", json={"username": "observe-admin",
                                                     "password": "wrong"}, timeout=10).status_code == 401
    invalid = {"username": "fine-name", "email": "not-an-email", "password": "short",
               "full_name": "Invalid"}
    assert requests.post(user + "/auth/register", json=invalid, timeout=10).status_code == 400
    taken = {"username": "observe-admin", "email": "taken@example.com",
             "password": "password123", "full_name": "Taken"}
    assert requests.post(user + "/auth/register", json=taken, timeout=10).status_code == 409
    after = counts()
    assert {key: after[key] - before[key] for key in after} == {
        ("user_logins_total", "succeeded"): 1, ("user_logins_total", "rejected"): 1,
        ("user_registrations_total", "created"): 1, ("user_registrations_total", "conflict"): 1,
        ("user_registrations_total", "invalid"): 1}


@pytest.fixture(scope="module")
def load_run(scraped):
    """Traffic for every panel, in rounds a few scrapes apart: a series is born at its first
    observation, and a rate needs it to change between two scrapes (as under real load)."""
    stack = scraped
    stack.payments_before = {status: own_counter(stack, "payment", "payments_total", status=status)
                             for status in ("completed", "failed")}
    admin, buyer = stack.admin_token(), stack.new_buyer()
    for round_ in range(ROUNDS):
        if round_:
            time.sleep(2.5)  # scrapes are a second apart on the test stack
        one_round_of_traffic(stack, admin, buyer)
    wait_for("the poison records dead-lettered", lambda: (scalar(
        'sum(kafka_consumer_messages_total{job="inventory",outcome="dead_lettered"})') or 0)
        >= ROUNDS, timeout=30)
    return stack


def test_the_dashboards_are_what_the_generator_writes():
    assert set(DASHBOARDS) == set(generate.render())
    for name, text in generate.render().items():
        assert json.loads(text) == DASHBOARDS[name], f"{name}: run deploy/grafana/generate.py"


def test_every_dashboard_is_well_formed_for_provisioning():
    uids = [board["uid"] for board in DASHBOARDS.values()]
    assert len(uids) == len(set(uids)) == 6
    provisioned = (GRAFANA / "provisioning/datasources/datasources.yml").read_text()
    for name, board in DASHBOARDS.items():
        ids = [panel["id"] for panel in board["panels"]]
        assert len(ids) == len(set(ids)), name
        for panel in board["panels"]:
            assert f"uid: {panel['datasource']['uid']}" in provisioned
            assert panel["targets"] and all(t["expr"] for t in panel["targets"])
            assert {"h", "w", "x", "y"} <= set(panel["gridPos"])


@pytest.mark.parametrize("board,title,expr", panels(),
                         ids=[f"{b.removesuffix('.json')}: {t}" for b, t, _ in panels()])
def test_every_panel_query_returns_data_after_a_load_run(load_run, board, title, expr):
    # Grafana's window is a few scrapes wide; here it spans the whole load run, which the
    # parametrized checks before this one may have left a minute or two behind.
    query = expr.replace("$__rate_interval", "5m")

    def finite():
        result = prometheus(query)
        return [r for r in result if not math.isnan(float(r["value"][1]))]

    result = wait_for(f"{board} / {title}: {query}", finite, timeout=20, interval=0.5)
    assert all(float(r["value"][1]) >= 0 or "time()" in query for r in result), result


def test_purchase_counters_agree_with_the_purchases_made(load_run):
    # Each round makes 8 payments: 6 completed (4, the scarce unit, the keyed one), 2 failed
    # (declined; out of stock, which fails the pending payment the saga wrote before reserving);
    # the replay makes none.
    completed, failed = (own_counter(load_run, "payment", "payments_total", status=status)
                         - load_run.payments_before[status] for status in ("completed", "failed"))
    assert (completed, failed) == (6 * ROUNDS, 2 * ROUNDS)
    completed += load_run.payments_before["completed"]
    wait_for("Prometheus to agree", lambda: scalar(
        'sum(payments_total{job="payment",status="completed"})') == completed, timeout=20)
