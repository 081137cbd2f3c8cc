"""The binary's command line and lifecycle."""
from __future__ import annotations

import os
import subprocess

from fo_testkit import build_dir, required_env


def run(*args, **env):
    return subprocess.run([str(build_dir() / "services/payment/payment"), *args],
                          env={**os.environ, "OTEL_TRACES_EXPORTER": "none", **env},
                          capture_output=True, timeout=60)


def test_migrate_only_applies_the_schema_and_exits(api, paydb):
    done = run("--migrate-only",
               PAYMENT_DATABASE_URL=required_env("FO_E2E_PAYMENT_DATABASE_URL"))
    assert done.returncode == 0, done.stdout + done.stderr
    tables = {t for (t,) in paydb.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()}
    assert {"payments", "idempotency_keys", "provider_charges", "outbox"} <= tables


def test_unknown_commands_print_usage():
    done = run("frobnicate")
    assert done.returncode == 2
    assert b"usage: payment [serve | --migrate-only]" in done.stderr


def test_bad_settings_stop_start_up():
    for name, value in (("PAYMENT_PROVIDER_DECLINE_RATE", "1.5"),
                        ("PAYMENT_PROVIDER_DECLINE_RATE", "often"),
                        ("PAYMENT_RESERVATION_TTL_SECONDS", "7200"),
                        ("IDEMPOTENCY_KEY_TTL_HOURS", "1")):
        done = run("--migrate-only", **{name: value})
        assert done.returncode == 1, name
        assert name.encode() in done.stdout + done.stderr


def test_readiness_names_the_database(api):
    body = api.get("/readyz").json()
    assert body["checks"]["database"] == "ok", body
