"""Starts one real inventory service (HTTP + gRPC) against its private database, and the REAL
product service it asks whether a product exists, for the suite.

The product service runs on a multi-service suites' database (FO_E2E_PRODUCT_DATABASE_URL), not
the product suite's: this one has no Kafka, and its outbox relay would hold the relay lock of a
shared database while it fails, delaying the product suite's events. The inventory database is
not reset between tests: every test makes its own products (unique skus) and reservation ids,
and checks only rows it made."""
from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import psycopg
import pytest
from fo_testkit import (HttpApi, Service, build_dir, free_port, generate_grpc_stubs, mint_token,
                        required_env, write_ec_key, write_public_key)

SWEEP_INTERVAL_MS = 200


def unique(label: str = "t") -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}"


def new_user_id() -> int:
    return secrets.randbelow(2**40) + 10**9


class InventoryApi(HttpApi):
    def __init__(self, base: str, grpc_target: str, key, service: Service, product: HttpApi,
                 database_url: str):
        super().__init__(base, service)
        self.grpc_target = grpc_target
        self.key = key  # the signing key, so tests can mint and forge tokens
        self.product = product
        self.database_url = database_url

    def token(self, role="user", sub=None, **claims) -> str:
        return mint_token(self.key, str(sub or new_user_id()), role, **claims)

    def new_product(self) -> int:
        """A fresh product in the real catalog."""
        sku = unique("inv")
        body = {"name": f"Inventory test {sku}", "sku": sku, "price": 1999, "currency": "USD",
                "category": "inventory-tests", "description": "made by the inventory suite"}
        response = self.product.post("/api/products", body, self.token("admin"))
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def stock(self, quantity: int, product_id: int | None = None, location: str | None = None,
              token: str | None = None) -> dict:
        """A stock row for a (fresh) product."""
        body = {"product_id": product_id or self.new_product(), "quantity": quantity}
        if location is not None:
            body["location"] = location
        response = self.post("/api/inventory", body, token or self.token("admin"))
        assert response.status_code == 201, response.text
        return response.json()


def start_product(tmp: Path, public: Path) -> tuple[Service, str, str]:
    http_port, grpc_port = free_port(), free_port()
    service = Service(build_dir() / "services/product/product", {
        "PRODUCT_DATABASE_URL": required_env("FO_E2E_PRODUCT_DATABASE_URL"),
        "HTTP_PORT": str(http_port),
        "GRPC_PORT": str(grpc_port),
        "JWT_PUBLIC_KEY_FILE": str(public),
        "OTEL_TRACES_EXPORTER": "none",
    }).start()
    base = f"http://127.0.0.1:{http_port}"
    service.wait_ready(base + "/readyz")
    return service, base, f"127.0.0.1:{grpc_port}"


def start_inventory(public: Path, product_grpc: str, **extra) -> tuple[Service, str, str]:
    http_port, grpc_port = free_port(), free_port()
    service = Service(build_dir() / "services/inventory/inventory", {
        "INVENTORY_DATABASE_URL": required_env("FO_BLACKBOX_INVENTORY_DATABASE_URL"),
        "HTTP_PORT": str(http_port),
        "GRPC_PORT": str(grpc_port),
        "JWT_PUBLIC_KEY_FILE": str(public),
        "PRODUCT_GRPC_TARGET": product_grpc,
        "RESERVATION_SWEEP_INTERVAL_MS": str(SWEEP_INTERVAL_MS),
        "OTEL_TRACES_EXPORTER": "none",
        "HTTP_BODY_LIMIT_BYTES": "65536",
        **extra,
    }).start()
    base = f"http://127.0.0.1:{http_port}"
    service.wait_ready(base + "/readyz")
    return service, base, f"127.0.0.1:{grpc_port}"


def stop_cleanly(service: Service, name: str) -> None:
    code = service.stop()
    assert code == 0, f"{name} did not stop cleanly ({code}):\n{service.output()[-4000:]}"


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("inventory")
    key = write_ec_key(tmp / "jwt.pem")
    return tmp, key, write_public_key(key, tmp / "jwt.pub")


@pytest.fixture(scope="session")
def product_service(keys):
    tmp, _, public = keys
    service, base, grpc_target = start_product(tmp, public)
    try:
        yield service, base, grpc_target
    finally:
        stop_cleanly(service, "product service")


@pytest.fixture(scope="session")
def api(keys, product_service) -> InventoryApi:
    _, key, public = keys
    product, product_base, product_grpc = product_service
    service, base, grpc_target = start_inventory(public, product_grpc)
    try:
        yield InventoryApi(base, grpc_target, key, service, HttpApi(product_base, product),
                           required_env("FO_BLACKBOX_INVENTORY_DATABASE_URL"))
    finally:
        stop_cleanly(service, "inventory service")


@pytest.fixture(scope="session")
def admin(api) -> str:
    return api.token("admin", sub=1)


@pytest.fixture(scope="session")
def user(api) -> str:
    return api.token("user", sub=2)


@pytest.fixture(scope="session")
def db(api):
    with psycopg.connect(api.database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def inventory_pb(tmp_path_factory):
    out = tmp_path_factory.mktemp("stubs")
    generate_grpc_stubs("inventory/v1/inventory.proto", Path(out))
    from inventory.v1 import inventory_pb2, inventory_pb2_grpc  # noqa: PLC0415

    return inventory_pb2, inventory_pb2_grpc


@pytest.fixture(scope="session")
def stub(api, inventory_pb):
    import grpc  # noqa: PLC0415

    _, inventory_pb2_grpc = inventory_pb
    with grpc.insecure_channel(api.grpc_target) as channel:
        yield inventory_pb2_grpc.InventoryServiceStub(channel)


class Launcher:
    """Starts extra instances for the tests that stop or misconfigure one (no test imports
    conftest directly: several suites have one, and the module name would be ambiguous)."""
    start_product = staticmethod(start_product)
    start_inventory = staticmethod(start_inventory)
    stop_cleanly = staticmethod(stop_cleanly)
    InventoryApi = InventoryApi


@pytest.fixture(scope="session")
def launcher() -> type[Launcher]:
    return Launcher
