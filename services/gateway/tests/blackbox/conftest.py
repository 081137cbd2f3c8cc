"""Starts the real gateway binary in front of fake upstreams (controllable HTTP servers) and a
private redis-server. The fake user upstream publishes the test key as its JWKS, so the gateway
loads its keys the way it does in production."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeUpstream, RedisServer
from fo_testkit import KEY_ID, HttpApi, Service, build_dir, free_port, mint_token, write_ec_key

SERVICES = ("user", "product", "inventory", "payment")


def jwks_of(*keys_and_ids) -> dict:
    """A JWKS document holding the public halves of (key, kid) pairs."""
    from jwt.algorithms import ECAlgorithm  # noqa: PLC0415

    keys = []
    for key, kid in keys_and_ids:
        jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
        keys.append({**jwk, "kid": kid, "use": "sig", "alg": "ES256"})
    return {"keys": keys}


class Gateway(HttpApi):
    def __init__(self, base, service, upstreams, redis, key):
        super().__init__(base, service)
        self.upstreams: dict[str, list[FakeUpstream]] = upstreams
        self.redis = redis
        self.key = key

    def up(self, name: str, index: int = 0) -> FakeUpstream:
        return self.upstreams[name][index]

    def token(self, sub="7", role="user", **claims) -> str:
        return mint_token(self.key, sub, role, **claims)

    def admin(self) -> str:
        return self.token(sub="1", role="admin")

    def metric(self, name: str, **labels) -> float:
        """The sum of a metric's samples whose labels include `labels`."""
        total = 0.0
        for line in self.get("/metrics").text.splitlines():
            if not line.startswith(name + "{") and not line.startswith(name + " "):
                continue
            head, _, value = line.rpartition(" ")
            if all(f'{k}="{v}"' in head for k, v in labels.items()):
                total += float(value)
        return total


class GatewayFactory:
    """Starts gateways; each gets fresh fake upstreams (counts per service) and its own Redis."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.key = write_ec_key(tmp / "jwt.pem")
        self.started: list[tuple[Service, list[FakeUpstream], RedisServer]] = []

    def __call__(self, instances: dict[str, int] | None = None, env: dict[str, str] | None = None,
                 wait: bool = True, publish_keys: bool = True) -> Gateway:
        counts = {name: 1 for name in SERVICES} | (instances or {})
        upstreams = {name: [FakeUpstream(f"{name}-{i + 1}") for i in range(counts[name])]
                     for name in SERVICES}
        if publish_keys:
            upstreams["user"][0].jwks = jwks_of((self.key, KEY_ID))
        redis = RedisServer().start()
        port = free_port()
        settings = {
            "HTTP_PORT": str(port),
            "REDIS_URL": redis.url,
            "OTEL_TRACES_EXPORTER": "none",
            "GATEWAY_HEALTH_INTERVAL_MS": "200",
            "GATEWAY_BREAKER_OPEN_MS": "1500",
            "GATEWAY_JWKS_MIN_REFRESH_GAP_MS": "500",
            "GATEWAY_RATE_DEFAULT_PER_SECOND": "100000",
            "GATEWAY_RATE_DEFAULT_BURST": "1000000",
            "HTTP_BODY_LIMIT_BYTES": "65536",
            "LOG_LEVEL": "info",
        }
        for name, fakes in upstreams.items():
            settings[f"GATEWAY_UPSTREAM_{name.upper()}"] = ",".join(f.address for f in fakes)
        settings.update(env or {})
        fakes = [f for fs in upstreams.values() for f in fs]
        try:
            service = Service(build_dir() / "services/gateway/gateway", settings).start()
        except BaseException:
            for fake in fakes:  # nothing may outlive a gateway that never started
                fake.stop()
            redis.stop()
            raise
        self.started.append((service, fakes, redis))
        base = f"http://127.0.0.1:{port}"
        if wait:
            service.wait_ready(base + "/readyz")
        return Gateway(base, service, upstreams, redis, self.key)

    def forget(self, gateway: Gateway) -> None:
        """For a gateway meant to fail at start: its exit code is not a failure of the suite."""
        for entry in list(self.started):
            service, fakes, redis = entry
            if service is gateway.service:
                service.stop()
                for fake in fakes:
                    fake.stop()
                redis.stop()
                self.started.remove(entry)

    def stop_all(self) -> None:
        failures = []
        for service, fakes, redis in self.started:
            code = service.stop()
            if code != 0:
                failures.append(f"gateway exited {code}:\n{service.output()[-3000:]}")
            for fake in fakes:
                fake.stop()
            redis.stop()
        self.started.clear()
        assert not failures, "\n".join(failures)


@pytest.fixture(scope="module")
def start_gateway(tmp_path_factory):
    factory = GatewayFactory(tmp_path_factory.mktemp("gateway"))
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture(scope="module")
def gateway(start_gateway) -> Gateway:
    """One gateway with one instance of each upstream, shared by a module's tests."""
    return start_gateway()


@pytest.fixture(autouse=True)
def _fresh_upstreams(request):
    """Every test starts with echoing, healthy upstreams and empty request logs."""
    if "gateway" in request.fixturenames:
        gw = request.getfixturevalue("gateway")
        for fakes in gw.upstreams.values():
            for fake in fakes:
                fake.reset()
    yield
