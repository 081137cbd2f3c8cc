"""Traces reach a real Jaeger (the test stack's, started by scripts/infra) over OTLP/HTTP and hang
together across a hop: a request through the gateway to the user service is ONE trace whose
gateway server span parents the gateway's client span, which parents the user service's server
span; the trace id is the one the response quoted in X-Trace-Id."""
from __future__ import annotations

import time
import uuid

import pytest
import requests
from fo_testkit import (Service, build_dir, free_port, required_env, write_ec_key,
                        write_public_key)


def tracing(name: str) -> dict[str, str]:
    return {"OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": required_env("JAEGER_OTLP_ENDPOINT"),
            "OTEL_BSP_SCHEDULE_DELAY": "100", "OTEL_SERVICE_NAME": name,
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=e2e"}


def start(name: str, env: dict[str, str], ready_path: str = "/readyz") -> tuple[Service, str]:
    port = free_port()
    service = Service(build_dir() / f"services/{name}/{name}",
                      {"HTTP_PORT": str(port), "GRPC_PORT": str(free_port()), **env}).start()
    base = f"http://127.0.0.1:{port}"
    service.wait_ready(base + ready_path)
    return service, base


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("traces")
    key = write_ec_key(tmp / "jwt.pem")
    public = str(write_public_key(key, tmp / "jwt.pub.pem"))
    run = f"{time.time_ns():x}"  # service names of this run only, so nothing older matches
    names = {"user": f"user-e2e-{run}", "gateway": f"gateway-e2e-{run}"}
    user, user_base = start("user", {
        "USER_DATABASE_URL": required_env("FO_CONTRACT_USER_DATABASE_URL"),
        "JWT_PRIVATE_KEY_FILE": str(tmp / "jwt.pem"), "PASSWORD_HASH_COST": "minimum",
        **tracing(names["user"])})
    services = [user]
    try:
        upstream = user_base.removeprefix("http://")
        gateway, gateway_base = start("gateway", {
            "JWT_PUBLIC_KEY_FILE": public, "REDIS_URL": "redis://127.0.0.1:1/0",
            "KAFKA_BROKERS": "127.0.0.1:1", **tracing(names["gateway"]),
            **{f"GATEWAY_UPSTREAM_{pool}": upstream
               for pool in ("USER", "PRODUCT", "INVENTORY", "PAYMENT")}})
        services.append(gateway)
        yield {"gateway": gateway_base, "user": user_base, "names": names}
    finally:
        for service in services:
            assert service.stop() == 0, service.output()[-3000:]


def fetch_trace(trace_id: str, services: int, timeout: float = 20) -> dict:
    """The trace from Jaeger's query API once spans of `services` services have arrived."""
    url = f"{required_env('JAEGER_URL')}/api/traces/{trace_id}"
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        response = requests.get(url, timeout=5)
        if response.status_code == 200:
            data = response.json()["data"]
            if data and complete(data[0], services):
                return data[0]
            last = data
        time.sleep(0.2)
    raise AssertionError(f"trace {trace_id} not complete in Jaeger within {timeout} s: {last}")


def complete(trace: dict, services: int) -> bool:
    """Spans of `services` services, each with its server span. A service ends that span last,
    so its other spans went out in the same batch or an earlier one; before this check, a trace
    could be taken while the gateway's server span was still in its next batch."""
    serving = {s["processID"] for s in trace["spans"] if tags(s).get("span.kind") == "server"}
    named = {p["serviceName"] for p in trace["processes"].values()}
    return len(named) >= services and serving == set(trace["processes"])


def tags(span: dict) -> dict:
    return {tag["key"]: tag["value"] for tag in span["tags"]}


def parent_of(span: dict) -> str | None:
    refs = [r["spanID"] for r in span.get("references", []) if r["refType"] == "CHILD_OF"]
    return refs[0] if refs else None


def test_a_proxied_request_is_one_trace_across_gateway_and_user(stack):
    response = requests.get(stack["gateway"] + "/.well-known/jwks.json", timeout=10)
    assert response.status_code == 200, response.text
    trace_id = response.headers["X-Trace-Id"]
    assert len(trace_id) == 32 and int(trace_id, 16) != 0, trace_id

    trace = fetch_trace(trace_id, services=2)
    assert trace["traceID"] == trace_id
    service_of = {pid: p["serviceName"] for pid, p in trace["processes"].items()}
    names = stack["names"]
    assert set(service_of.values()) == {names["gateway"], names["user"]}, service_of
    spans = {span["spanID"]: span for span in trace["spans"]}

    def only(service: str, kind: str, attribute: str) -> dict:
        found = [s for s in spans.values() if service_of[s["processID"]] == service
                 and tags(s).get("span.kind") == kind and attribute in tags(s)]
        assert len(found) == 1, (service, kind, [s["operationName"] for s in found])
        return found[0]

    edge = only(names["gateway"], "server", "http.route")
    hop = only(names["gateway"], "client", "url.full")  # the others: Redis (the rate limit)
    user = only(names["user"], "server", "http.route")
    # One chain, no orphans: the gateway's server span is the root of the whole trace.
    assert parent_of(edge) is None
    assert parent_of(hop) == edge["spanID"]
    assert parent_of(user) == hop["spanID"]
    for span in spans.values():
        assert span is edge or parent_of(span) in spans, span["operationName"]

    assert user["operationName"] == "GET /.well-known/jwks.json"
    assert tags(user)["http.route"] == "/.well-known/jwks.json"
    assert tags(user)["http.response.status_code"] == 200
    assert tags(hop)["http.response.status_code"] == 200
    assert tags(edge)["http.request.method"] == "GET"
    resource = {tag["key"]: tag["value"]
                for tag in trace["processes"][edge["processID"]].get("tags", [])}
    assert resource.get("deployment.environment") == "e2e", resource


def test_an_error_answer_marks_the_span_and_quotes_the_trace(stack):
    # No upstream answers this path's pool with a 404; the gateway itself answers unknown routes.
    response = requests.get(stack["gateway"] + "/no/such/route", timeout=10)
    assert response.status_code == 404
    trace_id = response.headers["X-Trace-Id"]
    assert response.json().get("trace_id") == trace_id, response.text
    trace = fetch_trace(trace_id, services=1)
    (span,) = trace["spans"]
    assert tags(span)["http.response.status_code"] == 404


def test_a_path_that_is_not_utf8_still_reaches_jaeger(stack):
    # The path decodes to the byte 0xFF. Sent as is, Jaeger would show the value as base64 (and a
    # strict protobuf decoder would drop the batch), so the exporter repairs such text (U+FFFD).
    response = requests.get(stack["gateway"] + "/no/such/%FF", timeout=10)
    assert response.status_code == 404
    trace = fetch_trace(response.headers["X-Trace-Id"], services=1)
    (span,) = trace["spans"]
    assert tags(span)["url.path"] == "/no/such/\ufffd"


@pytest.fixture(scope="module")
def sampling_gateway(stack, tmp_path_factory):
    """A second gateway in front of the same user service that samples no trace it starts
    (parent-based, ratio 0): what it decides, the user service must follow."""
    tmp = tmp_path_factory.mktemp("sampling")
    public = write_public_key(write_ec_key(tmp / "unused.pem"), tmp / "unused.pub.pem")
    gateway, base = start("gateway", {
        "JWT_PUBLIC_KEY_FILE": str(public), "REDIS_URL": "redis://127.0.0.1:1/0",
        "KAFKA_BROKERS": "127.0.0.1:1", **tracing(stack["names"]["gateway"] + "-unsampled"),
        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0",
        **{f"GATEWAY_UPSTREAM_{pool}": stack["user"].removeprefix("http://")
           for pool in ("USER", "PRODUCT", "INVENTORY", "PAYMENT")}})
    try:
        yield base
    finally:
        assert gateway.stop() == 0, gateway.output()[-3000:]


def test_the_edge_sampling_decision_is_followed_downstream(stack, sampling_gateway):
    # Sampled out at the gateway: neither it nor the user service (which samples everything it
    # starts itself) records a span of this request.
    response = requests.get(sampling_gateway + "/.well-known/jwks.json", timeout=10)
    assert response.status_code == 200
    dropped = response.headers["X-Trace-Id"]
    # A caller's sampled parent wins over the ratio: that trace is recorded all the way down.
    parent = f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01"
    response = requests.get(sampling_gateway + "/.well-known/jwks.json", timeout=10,
                            headers={"traceparent": parent})
    assert response.status_code == 200
    kept = response.headers["X-Trace-Id"]
    assert kept == parent.split("-")[1]
    trace = fetch_trace(kept, services=2)
    assert {p["serviceName"] for p in trace["processes"].values()} == {
        stack["names"]["gateway"] + "-unsampled", stack["names"]["user"]}
    # The kept trace arrived, so the dropped one (sent first, same exporters) would have too.
    response = requests.get(f"{required_env('JAEGER_URL')}/api/traces/{dropped}", timeout=5)
    assert response.status_code == 404 or not response.json()["data"], response.text
