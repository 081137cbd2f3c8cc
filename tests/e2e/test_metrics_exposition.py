"""Every program's /metrics passes `promtool check metrics` (Prometheus' own linter: counters end
in _total, names carry base units, every family has help text, the exposition parses) after it
has served some traffic, so the labelled families (requests by route and status, latency
histograms) are in the output and not only the process gauges."""
from __future__ import annotations

import shutil
import subprocess

import pytest
import requests
from fo_testkit import (Service, build_dir, free_port, required_env, write_ec_key,
                        write_public_key)

TRAFFIC = ("/readyz", "/livez", "/health", "/no/such/route", "/metrics")


def exposition(name: str, env: dict[str, str], extra_paths: tuple[str, ...] = ()) -> str:
    port = free_port()
    service = Service(build_dir() / f"services/{name}/{name}",
                      {"HTTP_PORT": str(port), "GRPC_PORT": str(free_port()),
                       "OTEL_TRACES_EXPORTER": "none", **env}).start()
    base = f"http://127.0.0.1:{port}"
    try:
        service.wait_ready(f"{base}/livez")
        for path in TRAFFIC + extra_paths:
            requests.get(base + path, timeout=10)
        response = requests.get(base + "/metrics", timeout=10)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("text/plain"), response.headers
        return response.text
    finally:
        assert service.stop() == 0, service.output()[-3000:]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("metrics")
    key = write_ec_key(tmp / "jwt.pem")
    public = str(write_public_key(key, tmp / "jwt.pub.pem"))
    db = {name: required_env(f"FO_CONTRACT_{name.upper()}_DATABASE_URL")
          for name in ("user", "product", "inventory", "payment")}
    return {
        "user": exposition("user", {"USER_DATABASE_URL": db["user"],
                                    "JWT_PRIVATE_KEY_FILE": str(tmp / "jwt.pem"),
                                    "PASSWORD_HASH_COST": "minimum"},
                           ("/.well-known/jwks.json", "/users/me")),
        "product": exposition("product", {"PRODUCT_DATABASE_URL": db["product"],
                                          "JWT_PUBLIC_KEY_FILE": public},
                              ("/api/products", "/api/categories")),
        "inventory": exposition("inventory", {"INVENTORY_DATABASE_URL": db["inventory"],
                                              "JWT_PUBLIC_KEY_FILE": public},
                                ("/api/inventory/1",)),
        "payment": exposition("payment", {"PAYMENT_DATABASE_URL": db["payment"],
                                          "JWT_PUBLIC_KEY_FILE": public},
                              ("/api/payments",)),
        # No upstreams and no Redis: proxied routes answer 503 and the limiter falls back,
        # which puts the gateway's own families in the output too.
        "gateway": exposition("gateway", {"JWT_PUBLIC_KEY_FILE": public,
                                          "REDIS_URL": "redis://127.0.0.1:1/0",
                                          "KAFKA_BROKERS": "127.0.0.1:1"},
                              ("/api/products/1", "/health/services")),
    }


@pytest.mark.parametrize("name", ["user", "product", "inventory", "payment", "gateway"])
def test_metrics_pass_promtool(outputs, name):
    promtool = shutil.which("promtool")
    assert promtool, "promtool not found (scripts/install-deps installs the prometheus package)"
    text = outputs[name]
    assert 'http_server_requests_total{' in text, text[:2000]
    assert "process_resident_memory_bytes" in text, text[:2000]
    result = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
