"""Starts one real product service (HTTP + gRPC) for the suite, verifying tokens with a public
key the suite holds the private half of.

The database (FO_BLACKBOX_PRODUCT_DATABASE_URL) is this suite's; tests still never assume they
own it alone (a rerun by hand keeps old rows): every test uses its own sku/category prefix, and
expected global counts come from SQL at assertion time (see `stable`).

Kafka (KAFKA_BROKERS, exported by scripts/test) is part of the stack: the service publishes
product.events and consumes inventory.events in a consumer group of its own, which starts at the
end of the topic (see fo_kafka). Without KAFKA_BROKERS the service still runs (the client
retries in the background); only the event tests need the broker."""
from __future__ import annotations

import os
import uuid
import warnings
from pathlib import Path

import psycopg
import pytest
from fo_testkit import (HttpApi, Service, build_dir, free_port, generate_grpc_stubs, mint_token,
                        required_env, write_ec_key, write_public_key)
from fo_kafka import INVENTORY_TOPIC, seed_group_at_end
from product_support import LOW_STOCK_THRESHOLD, new_user_id, unique

class ProductApi(HttpApi):
    def __init__(self, base: str, grpc_target: str, key, service: Service, database_url: str,
                 kafka_group: str):
        super().__init__(base, service)
        self.grpc_target = grpc_target
        self.key = key  # the signing key, so tests can mint and forge tokens
        self.database_url = database_url
        self.kafka_group = kafka_group  # the service's consumer group on inventory.events

    def token(self, role="user", sub=None, **claims) -> str:
        """A valid access token; a fresh random user id unless `sub` is given."""
        return mint_token(self.key, str(sub or new_user_id()), role, **claims)

    def create(self, admin: str, prefix: str, n: int = 0, **fields) -> dict:
        body = {"name": f"Product {prefix} {n}", "sku": f"{prefix}-{n}", "price": 1000,
                "category": prefix, **fields}
        response = self.post("/api/products", body, admin)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture(scope="session")
def product_api(tmp_path_factory) -> ProductApi:
    tmp = tmp_path_factory.mktemp("product")
    key = write_ec_key(tmp / "jwt.pem")
    public = write_public_key(key, tmp / "jwt.pub")
    http_port, grpc_port = free_port(), free_port()
    database_url = required_env("FO_BLACKBOX_PRODUCT_DATABASE_URL")
    kafka_group = f"product-blackbox-{uuid.uuid4().hex[:12]}"
    env = {
        "PRODUCT_DATABASE_URL": database_url,
        "HTTP_PORT": str(http_port),
        "GRPC_PORT": str(grpc_port),
        "JWT_PUBLIC_KEY_FILE": str(public),
        "LOW_STOCK_THRESHOLD": str(LOW_STOCK_THRESHOLD),
        "OTEL_TRACES_EXPORTER": "none",
        "HTTP_BODY_LIMIT_BYTES": "65536",
        "KAFKA_GROUP_ID": kafka_group,
        # The relay's stop waits for the batch in hand; with no broker that is this long.
        "KAFKA_DELIVERY_TIMEOUT_MS": "5000",
    }
    brokers = os.environ.get("KAFKA_BROKERS")
    if brokers:
        env["KAFKA_BROKERS"] = brokers
        try:
            seed_group_at_end(brokers, kafka_group, INVENTORY_TOPIC)
        except Exception as e:  # noqa: BLE001 — no confluent_kafka, or no broker at all
            warnings.warn(f"consumer group not seeded ({e!r}): the product service reads "
                          "inventory.events from the start", stacklevel=1)
    service = Service(build_dir() / "services/product/product", env).start()
    base = f"http://127.0.0.1:{http_port}"
    try:
        service.wait_ready(base + "/readyz")
        yield ProductApi(base, f"127.0.0.1:{grpc_port}", key, service, database_url, kafka_group)
    finally:
        code = service.stop()
        assert code == 0, f"product service did not stop cleanly ({code}):\n{service.output()[-4000:]}"
        # Bad input of every kind was sent: none of it may have become a 500 or an error log.
        # The one expected error: the poison records the event tests send to the DLQ.
        failures = [line for line in service.output().splitlines()
                    if ('"status":5' in line or '"level":"error"' in line)
                    and '"msg":"kafka record dead-lettered"' not in line]
        assert not failures, "\n".join(failures[:20])


@pytest.fixture(scope="session")
def db(product_api):
    """A direct connection for set-up the API does not offer (stock) and for true counts."""
    with psycopg.connect(product_api.database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def admin(product_api) -> str:
    return product_api.token("admin")


@pytest.fixture()
def user(product_api) -> str:
    return product_api.token("user")


@pytest.fixture()
def prefix() -> str:
    return unique()


@pytest.fixture(scope="session")
def product_pb(tmp_path_factory):
    out = tmp_path_factory.mktemp("stubs")
    generate_grpc_stubs("product/v1/product.proto", Path(out))
    from product.v1 import product_pb2, product_pb2_grpc  # noqa: PLC0415

    return product_pb2, product_pb2_grpc
