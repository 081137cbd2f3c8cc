"""Every program's /metrics passes `promtool check metrics` (Prometheus' own linter: counters end
in _total, names carry base units, every family has help text, the exposition parses) after it
has served some traffic, so the labelled families (requests by route and status, latency
histograms) are in the output and not only the process gauges."""
from __future__ import annotations

import shutil
import subprocess

import pytest
import requests
from fo_testkit import Service, build_dir, free_port, standalone_envs

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


# Paths each program answers beyond the probes, so its own families show up too; the
# gateway's proxied ones answer 503 (no upstreams) and its limiter falls back (no Redis).
OWN_PATHS = {"user": ("/.well-known/jwks.json", "/users/me"),
             "product": ("/api/products", "/api/categories"),
             "inventory": ("/api/inventory/1",),
             "payment": ("/api/payments",),
             "gateway": ("/api/products/1", "/health/services")}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    env = standalone_envs(tmp_path_factory.mktemp("metrics"))
    return {name: exposition(name, env[name], paths) for name, paths in OWN_PATHS.items()}


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
