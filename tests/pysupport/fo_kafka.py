"""Kafka helpers for black-box suites (confluent_kafka): a service's consumer group can start at
the end of a topic, records are read from a known position on, and the service's committed
offsets tell when it has handled a record.

The topics are shared with other suites (and, outside `make test`, with earlier runs whose
databases are gone), so a test only ever looks at records produced after it took its starting
offsets, and a service never replays history into a fresh database."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

PRODUCT_TOPIC = "product.events"
INVENTORY_TOPIC = "inventory.events"
INVENTORY_DLQ = "inventory.events.dlq"
PAYMENT_TOPIC = "payment.events"
PAYMENT_DLQ = "payment.events.dlq"


def _kafka():
    import confluent_kafka  # noqa: PLC0415 — only the Kafka tests need it

    return confluent_kafka


def _client(brokers: str, group: str | None = None):
    return _kafka().Consumer({"bootstrap.servers": brokers,
                              "group.id": group or f"bb-reader-{uuid.uuid4().hex}",
                              "enable.auto.commit": False,
                              "auto.offset.reset": "earliest"})


def end_offsets(brokers: str, topic: str) -> dict[int, int]:
    """The current end (next offset) of every partition of `topic`."""
    k = _kafka()
    client = _client(brokers)
    try:
        metadata = client.list_topics(topic, timeout=10)
        ends = {}
        for partition in metadata.topics[topic].partitions:
            _, high = client.get_watermark_offsets(k.TopicPartition(topic, partition), timeout=10)
            ends[partition] = high
        return ends
    finally:
        client.close()


def seed_group_at_end(brokers: str, group: str, topic: str) -> None:
    """Commits the end of `topic` for `group`, so a service joining it reads only new records."""
    k = _kafka()
    client = _client(brokers, group)
    try:
        offsets = [k.TopicPartition(topic, p, o) for p, o in end_offsets(brokers, topic).items()]
        client.commit(offsets=offsets, asynchronous=False)
    finally:
        client.close()


def committed(brokers: str, group: str, topic: str, partition: int) -> int:
    """The offset `group` committed on one partition (-1001 when none)."""
    k = _kafka()
    client = _client(brokers, group)
    try:
        return client.committed([k.TopicPartition(topic, partition)], timeout=10)[0].offset
    finally:
        client.close()


def wait_handled(brokers: str, group: str, delivered, timeout: float = 30) -> None:
    """Waits until `group` committed past the produced record `delivered` (a Message)."""
    deadline = time.monotonic() + timeout
    while True:
        if committed(brokers, group, delivered.topic(), delivered.partition()) > delivered.offset():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{group} did not handle {delivered.topic()}/"
                                 f"{delivered.partition()}@{delivered.offset()} in {timeout}s")
        time.sleep(0.1)


def read_from(brokers: str, topic: str, start: dict[int, int], want, timeout: float = 20):
    """Reads `topic` from the offsets `start` until `want(records)` is true; returns the records
    read. Each record is a dict: key, value, headers (a dict), partition, offset."""
    k = _kafka()
    client = _client(brokers)
    records = []
    try:
        client.assign([k.TopicPartition(topic, p, o) for p, o in start.items()])
        deadline = time.monotonic() + timeout
        while not want(records):
            if time.monotonic() > deadline:
                raise AssertionError(f"expected records not on {topic} after {timeout}s: {records}")
            message = client.poll(0.2)
            if message is None or message.error():
                continue
            records.append({
                "key": (message.key() or b"").decode(),
                "value": message.value() or b"",
                "headers": {name: (value or b"").decode() for name, value in
                            (message.headers() or [])},
                "partition": message.partition(),
                "offset": message.offset(),
            })
        return records
    finally:
        client.close()


def produce(brokers: str, topic: str, key: str, value: bytes, headers: dict[str, str],
            partition: int | None = None):
    """Produces one record (to `partition` if given, else by key) and waits for the broker's
    acknowledgement; returns the Message."""
    k = _kafka()
    producer = k.Producer({"bootstrap.servers": brokers, "enable.idempotence": True})
    delivered = []

    def report(error, message):
        assert error is None, error
        delivered.append(message)

    extra = {} if partition is None else {"partition": partition}
    producer.produce(topic, key=key.encode(), value=value, headers=list(headers.items()),
                     on_delivery=report, **extra)
    assert producer.flush(15) == 0, "record not delivered"
    return delivered[0]


def cloud_event_headers(event_id: str, event_type: str, source: str = "/blackbox",
                        time_: str | None = None) -> dict[str, str]:
    return {"ce_specversion": "1.0", "ce_id": event_id, "ce_type": event_type,
            "ce_source": source, "ce_time": time_ or now_rfc3339(),
            "content-type": "application/protobuf"}


def now_rfc3339() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
