"""Cache invalidation over the real broker: product and stock events, as the product and
inventory services publish them, drop the cached pages they make stale within a second."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from fo_kafka import (INVENTORY_DLQ, INVENTORY_TOPIC, PRODUCT_TOPIC, cloud_event_headers,
                      end_offsets, produce, read_from, seed_group_at_end, wait_handled)
from fo_testkit import generate_grpc_stubs, required_env


@pytest.fixture(scope="module")
def events_pb(tmp_path_factory):
    generate_grpc_stubs("events/v1/events.proto", Path(tmp_path_factory.mktemp("event_stubs")))
    from events.v1 import events_pb2  # noqa: PLC0415

    return events_pb2


@pytest.fixture(scope="module")
def kafka_gateway(start_gateway):
    brokers = required_env("KAFKA_BROKERS")
    group = f"gateway-bb-{uuid.uuid4().hex[:8]}"
    for topic in (PRODUCT_TOPIC, INVENTORY_TOPIC):
        seed_group_at_end(brokers, group, topic)  # only this test's records, none of history
    gw = start_gateway(env={"KAFKA_BROKERS": brokers, "KAFKA_GROUP_ID": group,
                            "KAFKA_MAX_ATTEMPTS": "2", "KAFKA_RETRY_BACKOFF_MS": "50"})
    gw.brokers, gw.group = brokers, group
    return gw


def stock_event(events_pb, product_id: int) -> tuple[bytes, dict]:
    payload = events_pb.InventoryUpdated(product_id=product_id, on_hand=5, reserved=1, available=4,
                                         reason="purchase").SerializeToString()
    return payload, cloud_event_headers(str(uuid.uuid4()), "fo.events.v1.InventoryUpdated",
                                        "/inventory")


def product_event(events_pb, product_id: int) -> tuple[bytes, dict]:
    payload = events_pb.ProductUpdated(product_id=product_id, sku=f"SKU-{product_id}", name="x",
                                       price=100, currency="EUR").SerializeToString()
    return payload, cloud_event_headers(str(uuid.uuid4()), "fo.events.v1.ProductUpdated",
                                        "/product")


def cached(gw, path) -> bool:
    return gw.get(path).headers["X-Cache"] == "HIT"


def warm(gw, *paths):
    for path in paths:
        gw.get(path)
        assert cached(gw, path), path


def seconds_until_miss(gw, path, limit=3.0) -> float:
    started = time.monotonic()
    while cached(gw, path):
        assert time.monotonic() - started < limit, f"{path} still cached after {limit}s"
        time.sleep(0.02)
    return time.monotonic() - started


def test_events_drop_exactly_what_they_make_stale(kafka_gateway, events_pb):
    gw = kafka_gateway
    # The consumer has joined once it handled a first record.
    payload, headers = stock_event(events_pb, 1)
    wait_handled(gw.brokers, gw.group, produce(gw.brokers, INVENTORY_TOPIC, "1", payload, headers))

    base = 700_000 + int(time.time()) % 10_000
    mine, other = f"/api/products/{base}", f"/api/products/{base + 1}"
    listing = f"/api/products?category=c{base}"
    warm(gw, mine, other, listing, "/api/categories")
    payload, headers = stock_event(events_pb, base)
    produce(gw.brokers, INVENTORY_TOPIC, str(base), payload, headers)
    assert seconds_until_miss(gw, mine) < 1.0
    assert not cached(gw, f"{listing}&x=1")  # (a new key, for contrast below)
    assert seconds_until_miss(gw, listing) < 1.0
    assert seconds_until_miss(gw, "/api/categories") < 1.0
    assert cached(gw, other)  # another product's page is untouched

    warm(gw, other)
    payload, headers = product_event(events_pb, base + 1)
    produce(gw.brokers, PRODUCT_TOPIC, str(base + 1), payload, headers)
    assert seconds_until_miss(gw, other) < 1.0
    assert gw.metric("gateway_cache_invalidations_total") >= 3


def test_undecodable_events_go_to_the_dead_letter_topic(kafka_gateway, events_pb):
    gw = kafka_gateway
    start = end_offsets(gw.brokers, INVENTORY_DLQ)
    headers = cloud_event_headers(str(uuid.uuid4()), "fo.events.v1.InventoryUpdated", "/inventory")
    produce(gw.brokers, INVENTORY_TOPIC, "9", b"\xff\xff not protobuf", headers)
    dead = read_from(gw.brokers, INVENTORY_DLQ, start, lambda records: any(
        r["headers"].get("ce_id") == headers["ce_id"] for r in records))
    mine = [r for r in dead if r["headers"].get("ce_id") == headers["ce_id"]]
    assert mine[0]["value"] == b"\xff\xff not protobuf"
