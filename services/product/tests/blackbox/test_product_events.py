"""Events over the real broker: catalog writes publish product.events (CloudEvents binary mode,
protobuf payloads) through the outbox, and inventory.events drive the stock view at most once
per event id, with poison records moved to inventory.events.dlq."""
from __future__ import annotations

import re
import secrets
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fo_testkit import generate_grpc_stubs, required_env
from fo_kafka import (INVENTORY_DLQ, INVENTORY_TOPIC, PRODUCT_TOPIC, cloud_event_headers,
                           end_offsets, produce, read_from, wait_handled)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$")
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
UPDATED = "fo.events.v1.InventoryUpdated"


@pytest.fixture(scope="session")
def brokers() -> str:
    import confluent_kafka  # noqa: F401, PLC0415 — fails clearly when requirements lack it

    return required_env("KAFKA_BROKERS")


@pytest.fixture(scope="session")
def events_pb(tmp_path_factory):
    out = tmp_path_factory.mktemp("event_stubs")
    generate_grpc_stubs("events/v1/events.proto", Path(out))
    from events.v1 import events_pb2  # noqa: PLC0415

    return events_pb2


def stock_report(events_pb, product_id: int, available: int, at: datetime | None = None) -> bytes:
    at = at or datetime.now(timezone.utc)
    return events_pb.InventoryUpdated(
        product_id=product_id, on_hand=available + 1, reserved=1, available=available,
        reason="adjustment", occurred_at=at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")).SerializeToString()


def send_report(brokers, events_pb, product_id: int, available: int, event_id: str | None = None,
                at: datetime | None = None):
    return produce(brokers, INVENTORY_TOPIC, str(product_id),
                   stock_report(events_pb, product_id, available, at),
                   cloud_event_headers(event_id or str(uuid.uuid4()), UPDATED))


def wait_stock(api, admin, product_id: int, expected: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        response = api.get(f"/api/products/{product_id}", admin)
        assert response.status_code == 200, response.text
        if response.json()["stock"] == expected:
            return
        assert time.monotonic() < deadline, f"stock is {response.json()['stock']}, not {expected}"
        time.sleep(0.1)


def stock_of(api, admin, product_id: int) -> int:
    return api.get(f"/api/products/{product_id}", admin).json()["stock"]


def test_catalog_writes_publish_product_events(product_api, admin, prefix, brokers, events_pb):
    start = end_offsets(brokers, PRODUCT_TOPIC)
    trace_id = secrets.token_hex(16)
    traced = {"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}
    body = {"name": "Lamp", "sku": f"{prefix}-1", "price": 1999, "currency": "EUR",
            "category": prefix}
    created = product_api.post("/api/products", body, admin, headers=traced)
    assert created.status_code == 201, created.text
    product = created.json()
    key = str(product["id"])
    deactivated = product_api.patch(f"/api/products/{key}", {"is_active": False}, admin)
    assert deactivated.status_code == 200, deactivated.text
    deactivated = deactivated.json()
    replacement = {**body, "sku": f"{prefix}-2", "price": 2500, "description": "",
                   "is_active": True}
    replaced = product_api.put(f"/api/products/{key}", replacement, admin)
    assert replaced.status_code == 200, replaced.text
    replaced = replaced.json()
    assert product_api.delete(f"/api/products/{key}", admin).status_code == 204

    def mine(records):
        return [r for r in records if r["key"] == key]

    records = mine(read_from(brokers, PRODUCT_TOPIC, start, lambda rs: len(mine(rs)) >= 4))
    assert [r["headers"]["ce_type"] for r in records] == [
        "fo.events.v1.ProductCreated", "fo.events.v1.ProductUpdated",
        "fo.events.v1.ProductUpdated", "fo.events.v1.ProductDeleted"]
    for record in records:
        headers = record["headers"]
        assert headers["ce_specversion"] == "1.0"
        assert headers["ce_source"] == "/product"
        assert headers["ce_subject"] == key
        assert headers["content-type"] == "application/protobuf"
        assert UUID.match(headers["ce_id"]), headers
        assert RFC3339_UTC.match(headers["ce_time"]), headers
        assert TRACEPARENT.match(headers["traceparent"]), headers
    assert len({r["headers"]["ce_id"] for r in records}) == 4
    # The producer span continues the trace of the request that wrote the event.
    assert TRACEPARENT.match(records[0]["headers"]["traceparent"]).group(1) == trace_id

    created_event = events_pb.ProductCreated.FromString(records[0]["value"])
    assert created_event.product_id == product["id"]
    assert created_event.sku == f"{prefix}-1"
    assert created_event.name == "Lamp"
    assert created_event.price == 1999
    assert created_event.currency == "EUR"
    assert created_event.category == prefix
    assert created_event.is_active is True
    assert created_event.occurred_at == product["created_at"]

    deactivated_event = events_pb.ProductUpdated.FromString(records[1]["value"])
    assert deactivated_event.is_active is False
    assert deactivated_event.sku == f"{prefix}-1"
    assert deactivated_event.occurred_at == deactivated["updated_at"]

    replaced_event = events_pb.ProductUpdated.FromString(records[2]["value"])
    assert (replaced_event.sku, replaced_event.price, replaced_event.is_active) == (
        f"{prefix}-2", 2500, True)
    assert replaced_event.occurred_at == replaced["updated_at"]

    deleted_event = events_pb.ProductDeleted.FromString(records[3]["value"])
    assert deleted_event.product_id == product["id"]
    assert deleted_event.sku == f"{prefix}-2"
    assert RFC3339_UTC.match(deleted_event.occurred_at)
    assert deleted_event.occurred_at >= replaced["updated_at"]


def test_refused_writes_publish_nothing(product_api, admin, prefix, brokers):
    start = end_offsets(brokers, PRODUCT_TOPIC)
    product = product_api.create(admin, prefix)
    key = str(product["id"])
    taken = product_api.post("/api/products", {"name": "Dup", "sku": f"{prefix}-0",
                                               "price": 1}, admin)
    assert taken.status_code == 409
    assert product_api.patch(f"/api/products/{key}", {"price": -1}, admin).status_code == 400
    assert product_api.patch("/api/products/999999999", {"price": 1}, admin).status_code == 404
    # A marker write after the refused ones: once it is on the topic, nothing else for this
    # product came before it.
    assert product_api.patch(f"/api/products/{key}", {"price": 5}, admin).status_code == 200
    def mine(records):
        return [r["headers"]["ce_type"] for r in records if r["key"] == key]

    records = read_from(brokers, PRODUCT_TOPIC, start,
                        lambda rs: "fo.events.v1.ProductUpdated" in mine(rs))
    assert mine(records) == ["fo.events.v1.ProductCreated", "fo.events.v1.ProductUpdated"]


def test_inventory_updated_sets_the_stock(product_api, admin, prefix, brokers, events_pb):
    product = product_api.create(admin, prefix)
    assert product["stock"] == 0
    send_report(brokers, events_pb, product["id"], 17)
    wait_stock(product_api, admin, product["id"], 17)
    # The catalog's own timestamps do not move with stock.
    assert product_api.get(f"/api/products/{product['id']}", admin).json()["updated_at"] == \
        product["updated_at"]


def test_the_same_event_id_applies_once(product_api, admin, prefix, brokers, events_pb):
    product = product_api.create(admin, prefix)
    event_id = str(uuid.uuid4())
    send_report(brokers, events_pb, product["id"], 5, event_id)
    wait_stock(product_api, admin, product["id"], 5)
    later = datetime.now(timezone.utc) + timedelta(seconds=1)
    again = send_report(brokers, events_pb, product["id"], 9, event_id, at=later)
    wait_handled(brokers, product_api.kafka_group, again)
    assert stock_of(product_api, admin, product["id"]) == 5


def test_an_older_report_does_not_overwrite_a_newer_one(product_api, admin, prefix, brokers,
                                                        events_pb):
    product = product_api.create(admin, prefix)
    now = datetime.now(timezone.utc)
    send_report(brokers, events_pb, product["id"], 4, at=now)
    wait_stock(product_api, admin, product["id"], 4)
    late = send_report(brokers, events_pb, product["id"], 8, at=now - timedelta(seconds=5))
    wait_handled(brokers, product_api.kafka_group, late)
    assert stock_of(product_api, admin, product["id"]) == 4


def test_other_event_types_are_skipped(product_api, admin, prefix, brokers, events_pb):
    product = product_api.create(admin, prefix)
    key = str(product["id"])
    other = produce(brokers, INVENTORY_TOPIC, key, b"\x01\x02",
                    cloud_event_headers(str(uuid.uuid4()), "fo.events.v1.SomethingNew"))
    send_report(brokers, events_pb, product["id"], 3)
    wait_stock(product_api, admin, product["id"], 3)
    assert not product_api.logs(
        lambda line: line.get("msg") == "kafka record dead-lettered"
        and line.get("offset") == other.offset() and line.get("partition") == other.partition(),
        timeout=0, expect=False)


def test_poison_records_go_to_the_dlq_and_the_next_record_applies(product_api, admin, prefix,
                                                                   brokers, events_pb):
    product = product_api.create(admin, prefix)
    key = str(product["id"])
    dlq_start = end_offsets(brokers, INVENTORY_DLQ)
    not_a_cloud_event = produce(brokers, INVENTORY_TOPIC, key, b"garbage \x00\xff", {})
    bad_payload = produce(brokers, INVENTORY_TOPIC, key, b"\xff\xff\xff",
                          cloud_event_headers(str(uuid.uuid4()), UPDATED))
    send_report(brokers, events_pb, product["id"], 11)
    wait_stock(product_api, admin, product["id"], 11)

    poisoned = {(m.partition(), m.offset()): m for m in (not_a_cloud_event, bad_payload)}

    def dead(records):
        return [r for r in records
                if r["headers"].get("dlq.original.topic") == INVENTORY_TOPIC
                and (int(r["headers"].get("dlq.original.partition", -1)),
                     int(r["headers"].get("dlq.original.offset", -1))) in poisoned]

    def originals(records):
        return {(int(r["headers"]["dlq.original.partition"]),
                 int(r["headers"]["dlq.original.offset"])) for r in dead(records)}

    # Another consumer of the topic in another group may dead-letter the
    # same records too: copies are fine, each original must be there.
    records = dead(read_from(brokers, INVENTORY_DLQ, dlq_start,
                             lambda rs: originals(rs) == set(poisoned)))
    for record in records:
        original = poisoned[(int(record["headers"]["dlq.original.partition"]),
                             int(record["headers"]["dlq.original.offset"]))]
        assert record["key"] == key
        assert record["value"] == original.value()
        assert record["headers"]["dlq.reason"]
        assert record["headers"]["dlq.attempts"] == "1"  # poison: no retries
