"""Process lifecycle, each test with its own service instance: refusing to start without what it
needs, the one-shot subcommands, and a graceful SIGTERM that lets in-flight work finish."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

from fo_testkit import Service, build_dir, free_port, required_env, write_ec_key


def instance(tmp_path: Path, args: list[str] | None = None, **env: str) -> Service:
    key = tmp_path / "jwt.pem"
    if not key.exists():
        write_ec_key(key)
    base = {
        "USER_DATABASE_URL": required_env("FO_BLACKBOX_DATABASE_URL"),
        "HTTP_PORT": str(free_port()),
        "GRPC_PORT": str(free_port()),
        "JWT_PRIVATE_KEY": "",  # empty counts as unset: only the file below is offered
        "JWT_PRIVATE_KEY_FILE": str(key),
        "ADMIN_USERNAME": "",
        "ADMIN_PASSWORD": "",
        "PASSWORD_HASH_COST": "minimum",
        "OTEL_TRACES_EXPORTER": "none",
        "OTEL_SDK_DISABLED": "true",
    }
    return Service(build_dir() / "services/user/user", {**base, **env}, args)


def output_of(service: Service) -> str:
    # Service.output() flushes the log handle, which stop() has closed; read the file instead.
    return service.log_path.read_text(errors="replace")


def exit_code(service: Service, timeout: float) -> int:
    try:
        service.process.wait(timeout)
    except subprocess.TimeoutExpired:
        service.stop()
        pytest.fail(f"still running after {timeout}s:\n{output_of(service)[-2000:]}")
    service.stop()
    return service.process.returncode


def test_refuses_to_start_without_a_signing_key(tmp_path):
    service = instance(tmp_path, JWT_PRIVATE_KEY_FILE="").start()
    assert exit_code(service, 20) != 0
    assert "JWT_PRIVATE_KEY_FILE" in output_of(service)


def test_refuses_to_start_with_an_unreadable_key_file(tmp_path):
    service = instance(tmp_path, JWT_PRIVATE_KEY_FILE=str(tmp_path / "missing.pem")).start()
    assert exit_code(service, 20) != 0
    assert "JWT_PRIVATE_KEY_FILE" in output_of(service)


def test_refuses_to_start_with_an_unreachable_database(tmp_path):
    dead = f"postgresql://fo:fo@127.0.0.1:{free_port()}/nothing?connect_timeout=2"
    started = time.monotonic()
    service = instance(tmp_path, USER_DATABASE_URL=dead).start()
    assert exit_code(service, 15) != 0
    assert time.monotonic() - started < 15
    assert "database" in output_of(service).lower()


def test_migrate_only_exits_zero(tmp_path):
    service = instance(tmp_path, args=["--migrate-only"]).start()
    assert exit_code(service, 20) == 0, output_of(service)


def test_create_admin_subcommand(tmp_path, user_api):
    name = "adm" + uuid.uuid4().hex[:10]
    service = instance(tmp_path, args=["create-admin"], ADMIN_USERNAME=name,
                       ADMIN_PASSWORD="created-by-cli", ADMIN_EMAIL=f"{name}@example.com").start()
    assert exit_code(service, 20) == 0, output_of(service)
    session = user_api.login(name, "created-by-cli")
    assert session["user"]["role"] == "admin"
    assert user_api.get("/admin/stats", session["access_token"]).status_code == 200


def test_restart_on_a_migrated_database_logs_only_json(tmp_path):
    # The suite's database is already migrated by the session service; a second start must
    # still write nothing but JSON lines (no raw libpq NOTICEs on the console).
    service = instance(tmp_path).start()
    port = service.env["HTTP_PORT"]
    try:
        service.wait_ready(f"http://127.0.0.1:{port}/readyz", timeout=30)
    finally:
        assert service.stop() == 0
    bad = [line for line in output_of(service).splitlines() if line.strip() and not _is_json(line)]
    assert not bad, bad


def _is_json(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def test_sigterm_lets_an_in_flight_request_finish(tmp_path):
    service = instance(tmp_path).start()
    port = int(service.env["HTTP_PORT"])
    base = f"http://127.0.0.1:{port}"
    try:
        service.wait_ready(base + "/readyz", timeout=30)
        name = "t" + uuid.uuid4().hex[:12]
        assert requests.post(base + "/auth/register", json={
            "username": name, "email": f"{name}@example.com", "password": "password123"},
            timeout=10).status_code == 201
        body = json.dumps({"username": name, "password": "password123"}).encode()
        head = (f"POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", port), timeout=15) as conn:
            # The request is under way (headers and half the body sent) when SIGTERM arrives.
            conn.sendall(head + body[:10])
            time.sleep(0.3)
            service.process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert service.process.poll() is None, "exited with a request still in flight"
            # New connections are no longer accepted while draining.
            with pytest.raises(requests.ConnectionError):
                requests.get(base + "/livez", timeout=2)
            conn.sendall(body[10:])
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                reply += chunk
        status_line = reply.split(b"\r\n", 1)[0]
        assert status_line == b"HTTP/1.1 200 OK", reply[:300]
        assert b"access_token" in reply
        service.process.wait(15)
        assert service.process.returncode == 0, output_of(service)[-2000:]
    finally:
        service.stop()
    assert "stopped" in output_of(service)
