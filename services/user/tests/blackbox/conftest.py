"""Starts one real user service (HTTP + gRPC) against a fresh private database for the suite."""
from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import pytest
# The fixture leaves JWT_ISSUER / JWT_AUDIENCE / JWT_KEY_ID at the service's defaults.
from fo_testkit import (AUDIENCE, ISSUER, KEY_ID, HttpApi, Service, build_dir, free_port,
                        generate_grpc_stubs, mint_token, required_env, write_ec_key)

ADMIN_USERNAME = "root"
ADMIN_PASSWORD = "root-password-" + secrets.token_hex(4)


class UserApi(HttpApi):
    issuer, audience, key_id = ISSUER, AUDIENCE, KEY_ID
    admin_username, admin_password = ADMIN_USERNAME, ADMIN_PASSWORD

    def __init__(self, base: str, grpc_target: str, key, service: Service):
        super().__init__(base, service)
        self.grpc_target = grpc_target
        self.key = key  # the signing key, so tests can forge tokens an attacker could not

    def register(self, username=None, password="password123", **extra) -> dict:
        username = username or "u" + uuid.uuid4().hex[:12]
        body = {"username": username, "email": f"{username}@example.com", "password": password,
                "full_name": "Test " + username, **extra}
        response = self.post("/auth/register", body)
        assert response.status_code == 201, response.text
        return response.json()

    def login(self, username, password="password123") -> dict:
        response = self.post("/auth/login", {"username": username, "password": password})
        assert response.status_code == 200, response.text
        return response.json()

    def new_user(self) -> tuple[dict, str]:
        """A fresh account and its access token."""
        user = self.register()
        return user, self.login(user["username"])["access_token"]

    def admin_token(self) -> str:
        return self.login(ADMIN_USERNAME, ADMIN_PASSWORD)["access_token"]

    def forge_token(self, sub="1", role="user", key=None, algorithm="ES256", headers=None,
                    **claims) -> str:
        """A token with the given claims (None drops one), signed with the service's key unless
        another `key` is given."""
        return mint_token(key if key is not None else self.key, sub, role, algorithm, headers,
                          **claims)


@pytest.fixture(scope="session")
def user_api(tmp_path_factory) -> UserApi:
    tmp = tmp_path_factory.mktemp("user")
    key = write_ec_key(tmp / "jwt.pem")
    http_port, grpc_port = free_port(), free_port()
    service = Service(build_dir() / "services/user/user", {
        "USER_DATABASE_URL": required_env("FO_BLACKBOX_DATABASE_URL"),
        "HTTP_PORT": str(http_port),
        "GRPC_PORT": str(grpc_port),
        "JWT_PRIVATE_KEY_FILE": str(tmp / "jwt.pem"),
        "ADMIN_USERNAME": ADMIN_USERNAME,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PASSWORD_HASH_COST": "minimum",
        "PASSWORD_HASH_QUEUE": "10000",
        "OTEL_TRACES_EXPORTER": "none",
        "HTTP_BODY_LIMIT_BYTES": "65536",
    }).start()
    base = f"http://127.0.0.1:{http_port}"
    try:
        service.wait_ready(base + "/readyz")
        yield UserApi(base, f"127.0.0.1:{grpc_port}", key, service)
    finally:
        code = service.stop()
        assert code == 0, f"user service did not stop cleanly ({code}):\n{service.output()[-4000:]}"


@pytest.fixture(scope="session")
def user_pb(tmp_path_factory):
    out = tmp_path_factory.mktemp("stubs")
    generate_grpc_stubs("user/v1/user.proto", Path(out))
    from user.v1 import user_pb2, user_pb2_grpc  # noqa: PLC0415

    return user_pb2, user_pb2_grpc


@pytest.fixture(scope="session")
def admin(user_api) -> str:
    """An access token of the bootstrap admin (stateless, valid for the whole suite)."""
    return user_api.admin_token()


@pytest.fixture(scope="session")
def admin_id(user_api, admin) -> int:
    return user_api.get("/users/me", admin).json()["id"]
