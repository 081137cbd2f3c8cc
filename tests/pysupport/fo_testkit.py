"""Shared helpers for the black-box suites: start a real service binary on free ports, wait for
it to be ready, talk to it, and stop it the way an orchestrator would (SIGTERM)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import json
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

REPO = Path(__file__).resolve().parents[2]


def build_dir() -> Path:
    value = os.environ.get("FO_BUILD_DIR")
    if not value:
        raise RuntimeError("FO_BUILD_DIR is not set: run the suites with `make test`")
    return Path(value)


def required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the suites with `make test`")
    return value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, check, timeout: float = 30, interval: float = 0.1):
    """Polls `check` until it returns something truthy, and returns that."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s (last: {value!r})")
        time.sleep(interval)


def write_ec_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return key


# Where this pytest session's services write their logs; see service_log_dir.
_log_dir: Path | None = None


@pytest.fixture(scope="session", autouse=True)
def service_log_dir(tmp_path_factory) -> Path:
    """Every Service's log goes under pytest's base directory (/tmp/pytest-of-$USER/pytest-N),
    which pytest deletes after three newer sessions: logs written straight to /tmp were never
    cleaned up, about 150 files a run. The root conftest.py makes it apply to every suite."""
    global _log_dir  # one per session, read by every Service
    _log_dir = tmp_path_factory.mktemp("service-logs")
    return _log_dir


class Service:
    """A service binary running in the background with its output in a log file."""

    def __init__(self, binary: Path, env: dict[str, str], args: list[str] | None = None):
        self.binary = binary
        # Kafka is opt-in per suite: a service that inherited the runner's KAFKA_BROKERS would
        # join the shared consumer groups and take other suites' events. Without it, the service
        # talks to a closed port (librdkafka keeps retrying quietly; nothing else changes).
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("KAFKA_")}
        self.env = {"KAFKA_BROKERS": "127.0.0.1:1", **inherited, **env}
        self.args = args or []
        handle, path = tempfile.mkstemp(prefix=binary.name + "-", suffix=".log", dir=_log_dir)
        os.close(handle)
        self.log_path = Path(path)
        self.process: subprocess.Popen | None = None

    def start(self) -> "Service":
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([str(self.binary), *self.args], env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.binary.name} exited with {self.process.returncode}:\n"
                                   + self.output())
            try:
                if requests.get(url, timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.binary.name} not ready after {timeout}s:\n" + self.output())

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, then wait; returns the exit code (a graceful stop is 0)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")


# The user service's defaults, which every verifying service shares (platform/auth).
ISSUER = "full-observability/user"
AUDIENCE = "full-observability"
KEY_ID = "user-1"


def mint_token(key, sub="1", role="user", algorithm="ES256", headers=None, **claims) -> str:
    """An access token as the user service would sign it with `key` (None drops a claim)."""
    import jwt  # noqa: PLC0415

    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": str(sub), "role": role, "iat": now,
               "exp": now + 300, "jti": uuid.uuid4().hex, **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": KEY_ID, **(headers or {})})


def write_public_key(key: ec.EllipticCurvePrivateKey, path: Path) -> Path:
    path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo))
    return path


def standalone_envs(tmp: Path) -> dict[str, dict[str, str]]:
    """What each program needs to start on its own, on the FO_CONTRACT_* databases, with a
    throw-away signing key written to tmp. The gateway gets no upstreams and no Redis: it is live
    (not ready), its proxied routes answer 503 and its rate limit falls back to local buckets."""
    key = write_ec_key(tmp / "jwt.pem")
    public = str(write_public_key(key, tmp / "jwt.pub.pem"))
    db = {name: required_env(f"FO_CONTRACT_{name.upper()}_DATABASE_URL")
          for name in ("user", "product", "inventory", "payment")}
    return {
        "user": {"USER_DATABASE_URL": db["user"], "JWT_PRIVATE_KEY_FILE": str(tmp / "jwt.pem"),
                 "PASSWORD_HASH_COST": "minimum"},
        "product": {"PRODUCT_DATABASE_URL": db["product"], "JWT_PUBLIC_KEY_FILE": public},
        "inventory": {"INVENTORY_DATABASE_URL": db["inventory"], "JWT_PUBLIC_KEY_FILE": public},
        "payment": {"PAYMENT_DATABASE_URL": db["payment"], "JWT_PUBLIC_KEY_FILE": public},
        "gateway": {"JWT_PUBLIC_KEY_FILE": public, "REDIS_URL": "redis://127.0.0.1:1/0"},
    }


class HttpApi:
    """A running service's HTTP API plus its log, for the black-box suites."""

    def __init__(self, base: str, service: Service):
        self.base = base
        self.service = service
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return self.base + path

    def request(self, method, path, token=None, **kw):
        headers = kw.pop("headers", {}) or {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.url(path), headers=headers, timeout=10, **kw)

    def get(self, path, token=None, **kw):
        return self.request("GET", path, token, **kw)

    def post(self, path, json=None, token=None, **kw):
        return self.request("POST", path, token, json=json, **kw)

    def put(self, path, json=None, token=None, **kw):
        return self.request("PUT", path, token, json=json, **kw)

    def patch(self, path, json=None, token=None, **kw):
        return self.request("PATCH", path, token, json=json, **kw)

    def delete(self, path, token=None, **kw):
        return self.request("DELETE", path, token, **kw)

    def logs(self, predicate=lambda line: True, timeout: float = 5.0, expect: bool = True):
        """The service's JSON log lines matching `predicate`; waits up to `timeout` for at least
        one when `expect` (stdout is a file, so lines may land a moment after the response)."""
        deadline = time.monotonic() + timeout
        while True:
            found = []
            for raw in self.service.output().splitlines():
                try:
                    line = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(line, dict) and predicate(line):
                    found.append(line)
            if found or not expect or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def problem(response: requests.Response, status: int) -> dict:
    """Asserts a problem+json answer with the given status and returns its body."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["type"] and "detail" in body
    return body


def field_errors(response: requests.Response) -> set[str]:
    return {e["field"] for e in problem(response, 400).get("errors", [])}


def generate_grpc_stubs(proto: str, out: Path) -> None:
    """Compiles api/proto/<proto> into Python modules under `out` (importable once on sys.path)."""
    from grpc_tools import protoc  # noqa: PLC0415 — only the gRPC suites need it

    out.mkdir(parents=True, exist_ok=True)
    include = Path(protoc.__file__).parent / "_proto"
    rc = protoc.main(["protoc", f"-I{REPO / 'api/proto'}", f"-I{include}",
                      f"--python_out={out}", f"--grpc_python_out={out}", proto])
    if rc != 0:
        raise RuntimeError(f"protoc failed for {proto}")
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
