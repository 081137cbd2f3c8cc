"""Starts the REAL user, product, inventory and payment binaries for the payment suite, with one
EC key: the user service signs with it, the others verify with its public half.

The databases (FO_E2E_<SVC>_DATABASE_URL: apart from the single-service suites' own) are not reset
between tests: every test makes its own users, products (unique skus), stock and idempotency
keys, and checks only rows it made."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from fo_testkit import (HttpApi, Service, build_dir, free_port, mint_token, required_env,
                        write_ec_key, write_public_key)

RECOVERY_INTERVAL_MS = 200


def unique(label: str = "pay") -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}"


def start(binary: str, env: dict[str, str]) -> tuple[Service, str, str]:
    http_port, grpc_port = free_port(), free_port()
    service = Service(build_dir() / binary, {
        "HTTP_PORT": str(http_port),
        "GRPC_PORT": str(grpc_port),
        "OTEL_TRACES_EXPORTER": "none",
        "HTTP_BODY_LIMIT_BYTES": "65536",
        **env,
    }).start()
    base = f"http://127.0.0.1:{http_port}"
    try:
        service.wait_ready(base + "/readyz")
    except Exception:
        service.stop()
        raise
    return service, base, f"127.0.0.1:{grpc_port}"


ADMIN_USERNAME = "payment-suite-admin"
# The rush tests put 100 purchases in flight on 2 cores (under ASan too): the suite is about
# correctness, so waits for a connection or a call may be long rather than end in a 503.
UNDER_LOAD = {"DB_ACQUIRE_TIMEOUT_MS": "10000", "PAYMENT_GRPC_TIMEOUT_MS": "10000"}


def admin_id(user_database_url: str) -> int:
    """The id of the admin the user service creates at start (admin routes check the caller's
    role in the database, so a token alone does not make an admin)."""
    with psycopg.connect(user_database_url) as conn:
        return conn.execute("SELECT id FROM users WHERE username = %s",
                            (ADMIN_USERNAME,)).fetchone()[0]


def purchase(session: requests.Session, url: str, token: str, body: dict) -> tuple[int, dict]:
    """One purchase as a careful client makes it: a 503 (a dependency overloaded or down; the
    key was freed) or a 504 (the deadline passed; what became of the attempt is unknown) is
    retried with the SAME key after a pause, so the final answer is 201, 402, 409 or 422 and a
    retry can never buy twice."""
    key = f"rush-{uuid.uuid4().hex}"
    for attempt in range(10):
        response = session.post(url, json=body, timeout=60, headers={
            "Authorization": f"Bearer {token}", "Idempotency-Key": key})
        answer = response.json()
        out_of_stock = response.status_code == 409 and "available" in answer
        if response.status_code not in (409, 503, 504) or out_of_stock:
            return response.status_code, answer
        # 503/504, or 409 while an earlier attempt with this key is in flight: wait, retry.
        # (The stock 409 is told apart by its `available` member, never by the text: every 503's
        # title, "Service Unavailable", contains the word too.)
        time.sleep(0.2 * (attempt + 1))
    return response.status_code, response.json()


def stop_cleanly(service: Service, name: str) -> None:
    code = service.stop()
    assert code == 0, f"{name} did not stop cleanly ({code}):\n{service.output()[-4000:]}"


class Stack:
    """The three services payment depends on, and how to start payment instances against them."""

    def __init__(self, key, public: Path, user: HttpApi, user_grpc: str, product: HttpApi,
                 product_grpc: str, inventory: HttpApi, inventory_grpc: str):
        self.key, self.public = key, public
        self.user, self.user_grpc = user, user_grpc
        self.product, self.product_grpc = product, product_grpc
        self.inventory, self.inventory_grpc = inventory, inventory_grpc
        self.admin_id = admin_id(required_env("FO_E2E_USER_DATABASE_URL"))

    def token(self, sub, role="user", **claims) -> str:
        return mint_token(self.key, str(sub), role, **claims)

    def admin(self) -> str:
        return self.token(self.admin_id, "admin")

    def start_inventory(self) -> tuple[Service, str, str]:
        return start("services/inventory/inventory", {
            "INVENTORY_DATABASE_URL": required_env("FO_E2E_INVENTORY_DATABASE_URL"),
            "JWT_PUBLIC_KEY_FILE": str(self.public),
            "PRODUCT_GRPC_TARGET": self.product_grpc,
            "RESERVATION_SWEEP_INTERVAL_MS": "200",
            **UNDER_LOAD,
        })

    def start_payment(self, inventory_grpc: str | None = None, **extra) -> "PaymentApi":
        service, base, _ = start("services/payment/payment", {
            "PAYMENT_DATABASE_URL": required_env("FO_E2E_PAYMENT_DATABASE_URL"),
            "JWT_PUBLIC_KEY_FILE": str(self.public),
            "USER_GRPC_TARGET": self.user_grpc,
            "PRODUCT_GRPC_TARGET": self.product_grpc,
            "INVENTORY_GRPC_TARGET": inventory_grpc or self.inventory_grpc,
            **UNDER_LOAD,
            "PAYMENT_RECOVERY_INTERVAL_MS": str(RECOVERY_INTERVAL_MS),
            "DB_POOL_SIZE": "20",
            **{k: str(v) for k, v in extra.items()},
        })
        return PaymentApi(base, service, self)


class PaymentApi(HttpApi):
    def __init__(self, base: str, service: Service, stack: Stack):
        super().__init__(base, service)
        self.stack = stack

    def new_user(self) -> tuple[int, str]:
        """A real, active account in the user service and a token for it, whose id has no
        payments yet (a user database recreated by hand would hand out old ids again)."""
        for _ in range(20):
            name = "p" + uuid.uuid4().hex[:12]
            response = self.stack.user.post("/auth/register", {
                "username": name, "email": f"{name}@example.com", "password": "password123",
                "full_name": "Payment " + name})
            assert response.status_code == 201, response.text
            user_id = response.json()["id"]
            with psycopg.connect(required_env("FO_E2E_PAYMENT_DATABASE_URL")) as conn:
                used = conn.execute("SELECT count(*) FROM payments WHERE user_id = %s",
                                    (user_id,)).fetchone()[0]
            if not used:
                return user_id, self.stack.token(user_id)
        raise AssertionError("no fresh user id")

    def new_product(self, price=250, currency="USD", active=True, stock: int | None = None) -> int:
        sku = unique("pay")
        response = self.stack.product.post("/api/products", {
            "name": f"Payment test {sku}", "sku": sku, "price": price, "currency": currency,
            "category": "payment-tests", "description": "made by the payment suite",
            "is_active": active}, self.stack.admin())
        assert response.status_code == 201, response.text
        product_id = response.json()["id"]
        if stock is not None:
            self.add_stock(product_id, stock)
        return product_id

    def add_stock(self, product_id: int, quantity: int) -> None:
        response = self.stack.inventory.post(
            "/api/inventory", {"product_id": product_id, "quantity": quantity},
            self.stack.admin())
        assert response.status_code == 201, response.text

    def buy(self, token: str, product_id: int, quantity: int = 1, method: str = "card",
            key: str | None = None, **extra):
        body = {"product_id": product_id, "quantity": quantity, "payment_method": method, **extra}
        return self.post("/api/payments", body, token,
                         headers={"Idempotency-Key": key or unique("key")})


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("payment")
    key = write_ec_key(tmp / "jwt.pem")
    public = write_public_key(key, tmp / "jwt.pub")
    started: list[tuple[Service, str]] = []
    try:
        user, user_base, user_grpc = start("services/user/user", {
            "USER_DATABASE_URL": required_env("FO_E2E_USER_DATABASE_URL"),
            "JWT_PRIVATE_KEY_FILE": str(tmp / "jwt.pem"),
            "PASSWORD_HASH_COST": "minimum",
            "PASSWORD_HASH_QUEUE": "10000",
            "ADMIN_USERNAME": ADMIN_USERNAME,
            "ADMIN_PASSWORD": "admin-" + uuid.uuid4().hex,
        })
        started.append((user, "user service"))
        product, product_base, product_grpc = start("services/product/product", {
            "PRODUCT_DATABASE_URL": required_env("FO_E2E_PRODUCT_DATABASE_URL"),
            "JWT_PUBLIC_KEY_FILE": str(public),
        })
        started.append((product, "product service"))
        stack = Stack(key, public, HttpApi(user_base, user), user_grpc,
                      HttpApi(product_base, product), product_grpc, None, "")
        inventory, inventory_base, inventory_grpc = stack.start_inventory()
        started.append((inventory, "inventory service"))
        stack.inventory, stack.inventory_grpc = HttpApi(inventory_base, inventory), inventory_grpc
        yield stack
    finally:
        # Their own suites check how they stop; here they only have to go away.
        for service, _ in reversed(started):
            service.stop(timeout=10)


@pytest.fixture(scope="session")
def api(stack) -> PaymentApi:
    payment = stack.start_payment()
    try:
        yield payment
    finally:
        stop_cleanly(payment.service, "payment service")


@pytest.fixture(scope="session")
def buyer(api) -> tuple[int, str]:
    return api.new_user()


@pytest.fixture(scope="session")
def admin(stack) -> str:
    return stack.admin()


@pytest.fixture(scope="session")
def paydb():
    with psycopg.connect(required_env("FO_E2E_PAYMENT_DATABASE_URL"),
                         autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def invdb():
    with psycopg.connect(required_env("FO_E2E_INVENTORY_DATABASE_URL"),
                         autocommit=True) as conn:
        yield conn


class Launcher:
    """For the tests that start extra instances (no test imports conftest directly: several
    suites have one, and the module name would be ambiguous)."""
    unique = staticmethod(unique)
    stop_cleanly = staticmethod(stop_cleanly)
    start = staticmethod(start)
    admin_id = staticmethod(admin_id)
    purchase = staticmethod(purchase)
    under_load = UNDER_LOAD
    admin_username = ADMIN_USERNAME


@pytest.fixture(scope="session")
def launcher() -> type[Launcher]:
    return Launcher
