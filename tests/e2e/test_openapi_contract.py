"""The public REST contract (api/openapi/openapi.yaml, served by the gateway at /docs) against the
routes the real binaries serve: every program is started, logs its routes at debug level, and
the two lists must be the same, operation for operation. A route added without documentation,
or documentation left behind by a removed route, fails here."""
from __future__ import annotations


import pytest
import requests
import yaml
from fo_testkit import (REPO, HttpApi, Service, build_dir, free_port, standalone_envs,
                        write_ec_key, write_public_key)

OPENAPI = REPO / "api/openapi/openapi.yaml"
PROBES = {"/livez", "/readyz", "/health", "/metrics"}  # every service has them; the gateway's count
METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def documented() -> set[tuple[str, str]]:
    document = yaml.safe_load(OPENAPI.read_text())
    return {(method.upper(), path) for path, item in document["paths"].items()
            for method in item if method in METHODS}


def served_routes(name: str, env: dict[str, str], ready_path: str = "/readyz") -> set:
    port = free_port()
    service = Service(build_dir() / f"services/{name}/{name}",
                      {"HTTP_PORT": str(port), "GRPC_PORT": str(free_port()), "LOG_LEVEL": "debug",
                       "OTEL_TRACES_EXPORTER": "none", **env}).start()
    try:
        service.wait_ready(f"http://127.0.0.1:{port}{ready_path}")
        api = HttpApi(f"http://127.0.0.1:{port}", service)
        lines = api.logs(lambda line: line.get("msg") == "route")
        return {(line["method"], line["pattern"]) for line in lines}
    finally:
        assert service.stop() == 0, service.output()[-3000:]


@pytest.fixture(scope="module")
def routes(tmp_path_factory) -> dict[str, set]:
    env = standalone_envs(tmp_path_factory.mktemp("contract"))
    # Upstreams that are not there: the gateway still lists its routes (it is live, not ready).
    return {name: served_routes(name, env[name],
                                ready_path="/livez" if name == "gateway" else "/readyz")
            for name in ("user", "product", "inventory", "payment", "gateway")}


def public_routes(routes: dict[str, set]) -> set:
    out = set()
    for name, served in routes.items():
        for method, pattern in served:
            if method == "*":
                continue  # the gateway's proxied prefixes: their operations are the services'
            if name != "gateway" and pattern in PROBES:
                continue  # reached through the gateway, /health and friends are the gateway's
            if pattern == "/docs/{file}":
                continue  # Swagger UI's own assets
            out.add((method, pattern))
    return out


def test_every_served_route_is_documented_and_nothing_else(routes):
    served, doc = public_routes(routes), documented()
    assert served - doc == set(), "served but not in api/openapi/openapi.yaml"
    assert doc - served == set(), "documented but served by nobody"


def test_the_gateway_routes_every_documented_service_operation(routes):
    prefixes = {pattern for method, pattern in routes["gateway"] if method == "*"}
    own = {pattern for method, pattern in routes["gateway"] if method != "*"}
    for method, path in documented():
        if path in own:
            continue
        head = path.split("{")[0].rstrip("/")
        assert any(head == p or head.startswith(p.rstrip("/") + "/") for p in prefixes) or \
            path in own, f"{method} {path} has no gateway route"


def test_the_document_is_valid_openapi():
    from openapi_spec_validator import validate  # noqa: PLC0415
    from openapi_spec_validator.readers import read_from_filename  # noqa: PLC0415

    spec, _ = read_from_filename(str(OPENAPI))
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_the_gateway_serves_the_document_and_swagger_ui(tmp_path):
    key = write_ec_key(tmp_path / "jwt.pem")
    port = free_port()
    service = Service(build_dir() / "services/gateway/gateway", {
        "HTTP_PORT": str(port), "JWT_PUBLIC_KEY_FILE": str(write_public_key(key, tmp_path / "p.pem")),
        "REDIS_URL": "redis://127.0.0.1:1/0", "OTEL_TRACES_EXPORTER": "none",
        "GATEWAY_DOCS_DIR": str(REPO / ".local/swagger/node_modules/swagger-ui-dist")}).start()
    base = f"http://127.0.0.1:{port}"
    try:
        service.wait_ready(base + "/livez")
        page = requests.get(base + "/docs", timeout=5)
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        assert "SwaggerUIBundle" in page.text and "/docs/openapi.yaml" in page.text
        for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
            response = requests.get(f"{base}/docs/{asset}", timeout=5)
            assert response.status_code == 200 and len(response.content) > 1000, asset
        document = requests.get(base + "/docs/openapi.yaml", timeout=5)
        assert document.status_code == 200
        assert document.text == OPENAPI.read_text()
        missing = requests.get(base + "/docs/..%2F..%2Fetc%2Fpasswd", timeout=5)
        assert missing.status_code == 404
    finally:
        assert service.stop() == 0
