"""Liveness, readiness, metrics and the --migrate-only mode."""
from __future__ import annotations

import subprocess

from fo_testkit import build_dir


def test_probes(product_api):
    for path in ("/livez", "/readyz", "/health"):
        assert product_api.get(path).status_code == 200, path


def test_metrics_count_catalog_changes(product_api, admin, prefix):
    product_api.create(admin, prefix)
    text = product_api.get("/metrics").text
    assert 'product_catalog_changes_total{change="create"}' in text
    assert 'http_server_requests_total' in text and 'route="/api/products"' in text


def test_migrate_only_exits_zero(product_api):
    result = subprocess.run([str(build_dir() / "services/product/product"), "--migrate-only"],
                            env={"PRODUCT_DATABASE_URL": product_api.database_url,
                                 "OTEL_TRACES_EXPORTER": "none", "PATH": "/usr/bin:/bin"},
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_command_is_usage_error(product_api):
    result = subprocess.run([str(build_dir() / "services/product/product"), "bogus"],
                            capture_output=True, timeout=30)
    assert result.returncode == 2
