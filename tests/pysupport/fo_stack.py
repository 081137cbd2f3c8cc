"""The whole system as `make run` wires it, for the observability suites: user, product, inventory
and payment on databases of their own (fo_observe_<service>), the gateway in front with Redis,
every service on the test stack's Kafka (consumer groups of this run only, starting at the end
of their topics) and exporting every span to the test stack's Jaeger, and each one listed in the
test Prometheus' targets (file service discovery) under its own job label."""
from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path

import psycopg
import requests
from fo_kafka import INVENTORY_TOPIC, PAYMENT_TOPIC, seed_group_at_end
from fo_testkit import (Service, build_dir, free_port, required_env, wait_for, write_ec_key,
                        write_public_key)

SERVICES = ("user", "product", "inventory", "payment", "gateway")
ADMIN_USERNAME = "observe-admin"


def fresh_database(service: str) -> str:
    base = required_env(f"FO_E2E_{service.upper()}_DATABASE_URL")
    database = f"fo_observe_{service}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")
    return base.rsplit("/", 1)[0] + "/" + database


class FullStack:
    def __init__(self, tmp: Path):
        self.run = uuid.uuid4().hex[:8]
        self.brokers = required_env("KAFKA_BROKERS")
        self.admin_password = "admin-" + uuid.uuid4().hex
        key = write_ec_key(tmp / "jwt.pem")
        groups = {"inventory": f"inventory-events-{self.run}",
                  "product": f"product-events-{self.run}"}
        seed_group_at_end(self.brokers, groups["inventory"], PAYMENT_TOPIC)
        seed_group_at_end(self.brokers, groups["product"], INVENTORY_TOPIC)
        self.http = {name: free_port() for name in SERVICES}
        self.grpc = {name: f"127.0.0.1:{free_port()}" for name in SERVICES}
        verify = {"JWT_PUBLIC_KEY_FILE": str(write_public_key(key, tmp / "jwt.pub.pem"))}
        self.env = {
            "user": {"USER_DATABASE_URL": fresh_database("user"),
                     "JWT_PRIVATE_KEY_FILE": str(tmp / "jwt.pem"),
                     "PASSWORD_HASH_COST": "minimum", "ADMIN_USERNAME": ADMIN_USERNAME,
                     "ADMIN_PASSWORD": self.admin_password},
            "product": {"PRODUCT_DATABASE_URL": fresh_database("product"), **verify,
                        "KAFKA_GROUP_ID": groups["product"]},
            "inventory": {"INVENTORY_DATABASE_URL": fresh_database("inventory"), **verify,
                          "KAFKA_GROUP_ID": groups["inventory"],
                          "PRODUCT_GRPC_TARGET": self.grpc["product"]},
            "payment": {"PAYMENT_DATABASE_URL": fresh_database("payment"), **verify,
                        "USER_GRPC_TARGET": self.grpc["user"],
                        "PRODUCT_GRPC_TARGET": self.grpc["product"],
                        "INVENTORY_GRPC_TARGET": self.grpc["inventory"]},
            # As in `make run`: the gateway learns the signing keys from the user service.
            "gateway": {"REDIS_URL": required_env("REDIS_URL"),
                        **{f"GATEWAY_UPSTREAM_{name.upper()}": f"127.0.0.1:{self.http[name]}"
                           for name in ("user", "product", "inventory", "payment")}},
        }
        self.services: dict[str, Service] = {}
        self.targets = Path(required_env("PROMETHEUS_TARGETS_DIR")) / f"observe-{self.run}.json"

    def service_name(self, name: str) -> str:
        return f"{name}-observe-{self.run}"

    def base(self, name: str) -> str:
        return f"http://127.0.0.1:{self.http[name]}"

    def start(self, name: str) -> None:
        """Starts (or starts again, on the same ports) one service and waits until it is ready."""
        service = Service(build_dir() / f"services/{name}/{name}", {
            "HTTP_PORT": str(self.http[name]), "GRPC_PORT": self.grpc[name].split(":")[1],
            "OTEL_SERVICE_NAME": self.service_name(name), **self.common_env(), **self.env[name]})
        self.services[name] = service.start()
        service.wait_ready(self.base(name) + "/readyz")

    def common_env(self) -> dict[str, str]:
        return {"KAFKA_BROKERS": self.brokers, "OUTBOX_POLL_INTERVAL_MS": "50",
                "OTEL_TRACES_EXPORTER": "otlp", "OTEL_BSP_SCHEDULE_DELAY": "100",
                "OTEL_EXPORTER_OTLP_ENDPOINT": required_env("JAEGER_OTLP_ENDPOINT"),
                "OTEL_RESOURCE_ATTRIBUTES": f"deployment.environment=observe-{self.run}"}

    def wait_gateway_sees(self, name: str) -> None:
        """Until the gateway's health checks count the (restarted) service healthy again."""
        def healthy():
            services = requests.get(self.gateway() + "/health/services", timeout=5).json()
            return services["services"][name]["healthy"]
        wait_for(f"the gateway to see {name} healthy", healthy, timeout=30)

    @contextlib.contextmanager
    def outage(self, name: str):
        """The service stopped (cleanly) for the body, then started again on its ports and
        healthy in the gateway's eyes."""
        assert self.stop(name) == 0
        try:
            yield
        finally:
            self.start(name)
            self.wait_gateway_sees(name)

    def stop(self, name: str) -> int:
        return self.services.pop(name).stop()

    def up(self) -> "FullStack":
        for name in SERVICES:
            self.start(name)
        # Prometheus picks the file up by inotify; every service is one target, job = its name.
        self.targets.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.targets.parent.glob("observe-*.json"):
            stale.unlink()  # an earlier run that was killed before its teardown
        groups = [{"targets": [f"127.0.0.1:{self.http[name]}"], "labels": {"job": name}}
                  for name in SERVICES]
        temporary = self.targets.with_suffix(".tmp")
        temporary.write_text(json.dumps(groups))
        temporary.rename(self.targets)
        return self

    def down(self) -> dict[str, int]:
        self.targets.unlink(missing_ok=True)
        return {name: self.stop(name) for name in reversed(list(self.services))}

    def gateway(self) -> str:
        return self.base("gateway")

    # Accounts are made at the user service itself: the gateway's register and login limits are
    # per client address, and the test Redis keeps other suites' buckets.
    def admin_token(self) -> str:
        response = requests.post(self.base("user") + "/auth/login", timeout=10, json={
            "username": ADMIN_USERNAME, "password": self.admin_password})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def new_buyer(self) -> str:
        name = "o" + uuid.uuid4().hex[:12]
        response = requests.post(self.base("user") + "/auth/register", timeout=10, json={
            "username": name, "email": f"{name}@example.com", "password": "password123",
            "full_name": "Observe " + name})
        assert response.status_code == 201, response.text
        response = requests.post(self.base("user") + "/auth/login", timeout=10, json={
            "username": name, "password": "password123"})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def new_product(self, admin: str, stock: int, price: int = 1200) -> int:
        sku = "ob-" + uuid.uuid4().hex[:12]
        headers = {"Authorization": f"Bearer {admin}"}
        response = requests.post(self.gateway() + "/api/products", headers=headers, timeout=10,
                                 json={"name": f"Observe {sku}", "sku": sku, "price": price,
                                       "currency": "USD", "category": "observe"})
        assert response.status_code == 201, response.text
        product_id = response.json()["id"]
        response = requests.post(self.gateway() + "/api/inventory", headers=headers, timeout=10,
                                 json={"product_id": product_id, "quantity": stock})
        assert response.status_code == 201, response.text
        return product_id

    def buy(self, token: str, product_id: int, method: str = "card", **extra):
        return requests.post(self.gateway() + "/api/payments", timeout=30, json={
            "product_id": product_id, "quantity": 1, "payment_method": method, **extra},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex})


def prometheus(expr: str) -> list[dict]:
    """An instant query against the test Prometheus; the result vector."""
    response = requests.get(required_env("PROMETHEUS_URL") + "/api/v1/query",
                            params={"query": expr}, timeout=10)
    assert response.status_code == 200, (expr, response.text)
    body = response.json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def scalar(expr: str) -> float | None:
    result = prometheus(expr)
    return float(result[0]["value"][1]) if result else None
