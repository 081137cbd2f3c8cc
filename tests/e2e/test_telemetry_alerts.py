"""Faults an alert covers, induced on the running system, reach the Alertmanager webhook and
resolve once the fault is gone: Prometheus (scraping every second, alert hold times cut to 2 s by
scripts/test) evaluates the project's rules, Alertmanager routes them to a receiver this module
runs on ALERT_WEBHOOK_PORT for the whole session (conftest: alerts that fire while
other suites run are kept, not lost to a closed port). promtool's unit tests (test_prometheus_rules) cover the real hold
times and thresholds; this covers the pipeline and that the rules match the real series."""
from __future__ import annotations

import time
import uuid

import pytest
from fo_kafka import PAYMENT_TOPIC, produce
from fo_stack import scalar
from fo_testkit import wait_for


@pytest.fixture
def receiver(alert_receiver):
    return alert_receiver


def test_a_stopped_service_pages_and_resolves_when_it_is_back(full_stack, receiver):
    with full_stack.outage("product"):
        firing = wait_for("ServiceDown for product", lambda: receiver.seen(
            "ServiceDown", "firing", job="product"), timeout=60)
    alert = firing[0]
    assert alert["labels"]["severity"] == "page"
    assert alert["labels"]["instance"] == f"127.0.0.1:{full_stack.http['product']}"
    assert alert["annotations"]["runbook_url"].endswith("#servicedown")
    wait_for("ServiceDown for product resolved", lambda: receiver.seen(
        "ServiceDown", "resolved", job="product"), timeout=60)
    assert not receiver.seen("ServiceDown", "firing", job="user")


def test_a_stopped_consumer_pages_and_resolves_when_it_handles_events_again(full_stack, receiver):
    # Inventory is payment.events' only consumer. The topic must be busy: purchases a few
    # scrapes apart (a counter's rate needs it to change between two scrapes).
    admin = full_stack.admin_token()
    buyer = full_stack.new_buyer()
    product = full_stack.new_product(admin, stock=5)
    for _ in range(2):
        assert full_stack.buy(buyer, product).status_code == 201
        time.sleep(2.5)
    with full_stack.outage("inventory"):
        firing = wait_for("KafkaTopicNotConsumed for payment.events", lambda: receiver.seen(
            "KafkaTopicNotConsumed", "firing", topic="payment.events"), timeout=60)
    assert firing[0]["labels"]["severity"] == "page"
    # Back, it resumes from its offset; once it has handled an event it reports again.
    assert full_stack.buy(buyer, product).status_code == 201
    wait_for("KafkaTopicNotConsumed resolved", lambda: receiver.seen(
        "KafkaTopicNotConsumed", "resolved", topic="payment.events"), timeout=60)


def test_a_provider_that_declines_pages_and_resolves_when_payments_succeed(full_stack, receiver):
    admin = full_stack.admin_token()
    product = full_stack.new_product(admin, stock=250)
    buyer = full_stack.new_buyer()
    # Declines until the ten-minute share of failures passes a quarter: how many that takes
    # depends on what the other suites bought before (under ASan, eight were not always enough).
    firing = None
    for batch in range(5):
        for _ in range(8):
            assert full_stack.buy(buyer, product, method="test_decline").status_code == 402
        try:
            firing = wait_for("PaymentDeclinesHigh", lambda: receiver.seen(
                "PaymentDeclinesHigh", "firing", job="payment"), timeout=60 if batch == 4 else 20)
            break
        except AssertionError:
            if batch == 4:
                raise
    assert firing[0]["annotations"]["summary"].endswith("of payments fail")
    # Successes until the ten-minute share of failures is under a quarter again (how many that
    # takes depends on what the other suites bought before): the alert resolves.
    for batch in range(20):
        for _ in range(10):
            assert full_stack.buy(buyer, product).status_code == 201
        if receiver.seen("PaymentDeclinesHigh", "resolved", job="payment"):
            break
        ratio = scalar('sum(increase(payments_total{job="payment",status="failed"}[10m])) / '
                       'sum(increase(payments_total{job="payment",status="pending"}[10m]))')
        if ratio is not None and ratio < 0.2:
            break
    wait_for("PaymentDeclinesHigh resolved", lambda: receiver.seen(
        "PaymentDeclinesHigh", "resolved", job="payment"), timeout=60)


def test_a_dead_lettered_event_files_a_ticket(full_stack, receiver):
    # It resolves half an hour after the last dead letter (promtool's unit test covers that).
    # (The metrics suite's load run may have dead-lettered one already: that alert counts too.)
    # One record is enough: the consumer's outcome series exist at zero from its subscription,
    # so the first dead letter is already an increase.
    produce(full_stack.brokers, PAYMENT_TOPIC, f"poison-{uuid.uuid4().hex[:8]}",
            b"\xff not an event", {"x-test": "poison"})
    firing = wait_for("DeadLetteredEvents", lambda: receiver.seen(
        "DeadLetteredEvents", "firing", job="inventory", topic=PAYMENT_TOPIC), timeout=60)
    assert firing[0]["labels"]["severity"] == "ticket"
