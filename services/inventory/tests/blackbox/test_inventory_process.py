"""The binary's command line and lifecycle."""
from __future__ import annotations

import os
import subprocess

from fo_testkit import build_dir, required_env


def run(*args, **env):
    return subprocess.run([str(build_dir() / "services/inventory/inventory"), *args],
                          env={**os.environ, "OTEL_TRACES_EXPORTER": "none", **env},
                          capture_output=True, timeout=60)


def test_migrate_only_applies_the_schema_and_exits(api):
    done = run("--migrate-only",
               INVENTORY_DATABASE_URL=required_env("FO_BLACKBOX_INVENTORY_DATABASE_URL"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_unknown_commands_print_usage():
    done = run("frobnicate")
    assert done.returncode == 2
    assert b"usage: inventory [serve | --migrate-only]" in done.stderr


def test_bad_settings_stop_start_up():
    done = run("--migrate-only", RESERVATION_TTL_SECONDS="7200")
    assert done.returncode == 1
    assert b"RESERVATION_TTL_SECONDS" in done.stdout + done.stderr


def test_readiness_names_the_database(api):
    body = api.get("/readyz").json()
    assert body["checks"]["database"] == "ok", body
