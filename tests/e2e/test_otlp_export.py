"""A real service's span export, received by a plain HTTP server here and decoded with the
published OTLP protos (opentelemetry-proto from PyPI, not our encoder's field table): the binary
protobuf the services send by default and the JSON they send with
OTEL_EXPORTER_OTLP_PROTOCOL=http/json carry the same spans, with the numbers, types and flags
the specification gives, and text that is not UTF-8 arrives repaired instead of making the
receiver drop the batch."""
from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from fo_testkit import Service, build_dir, free_port, standalone_envs, wait_for
from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

CONTENT_TYPES = {"http/protobuf": "application/x-protobuf", "http/json": "application/json"}


class Receiver:
    """An OTLP/HTTP endpoint that keeps every request it is sent and answers 200."""

    def __init__(self):
        self.requests: list[tuple[str, str, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, self.headers["Content-Type"], body))
                self.send_response(200)
                self.send_header("Content-Type", self.headers["Content-Type"])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def decode(content_type: str, body: bytes) -> ExportTraceServiceRequest:
    if content_type == "application/x-protobuf":
        return ExportTraceServiceRequest.FromString(body)
    # OTLP's JSON spells ids in hex where protobuf's JSON mapping has base64; the rest is the
    # standard mapping, so json_format reads it once the ids are converted.
    data = json.loads(body)
    for resource_spans in data["resourceSpans"]:
        for scope_spans in resource_spans["scopeSpans"]:
            for span in scope_spans["spans"]:
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in span:
                        span[key] = base64.b64encode(bytes.fromhex(span[key])).decode()
    return json_format.ParseDict(data, ExportTraceServiceRequest())


def attributes(key_values) -> dict:
    """KeyValue list -> {key: the AnyValue member that is set}."""
    out = {}
    for kv in key_values:
        member = kv.value.WhichOneof("value")
        out[kv.key] = (member, getattr(kv.value, member))
    return out


@pytest.fixture(scope="module", params=["http/protobuf", "http/json"])
def export(request, tmp_path_factory):
    protocol = request.param
    receiver = Receiver()
    port = free_port()
    env = standalone_envs(tmp_path_factory.mktemp("otlp"))["product"]
    service = Service(build_dir() / "services/product/product", {
        "HTTP_PORT": str(port), "GRPC_PORT": str(free_port()), **env,
        "OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_EXPORTER_OTLP_PROTOCOL": protocol, "OTEL_BSP_SCHEDULE_DELAY": "100",
        "OTEL_SERVICE_NAME": "product-otlp", "OTEL_RESOURCE_ATTRIBUTES": "team=a%2Cb"}).start()
    base = f"http://127.0.0.1:{port}"
    trace_id, parent_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    try:
        service.wait_ready(base + "/readyz")
        listed = requests.get(base + "/api/products?limit=1", timeout=10,
                              headers={"traceparent": f"00-{trace_id}-{parent_id}-01"})
        assert listed.status_code == 200, listed.text
        assert listed.headers["X-Trace-Id"] == trace_id
        missing = requests.get(base + "/no/such/%FF%FEx", timeout=10)
        assert missing.status_code == 404, missing.text

        def decoded():
            batches = [(path, content_type, decode(content_type, body))
                       for path, content_type, body in list(receiver.requests)]
            spans = [span for _, _, batch in batches for rs in batch.resource_spans
                     for ss in rs.scope_spans for span in ss.spans]
            traces = {span.trace_id.hex() for span in spans}
            wanted = {trace_id, missing.headers["X-Trace-Id"]}
            return batches if wanted <= traces else None

        batches = wait_for("both requests' spans at the receiver", decoded, timeout=20)
    finally:
        assert service.stop() == 0, service.output()[-3000:]
        receiver.close()
    yield {"protocol": protocol, "batches": batches, "trace_id": trace_id,
           "parent_id": parent_id, "missing_trace": missing.headers["X-Trace-Id"]}


def spans_of(export, trace_id: str) -> list[Span]:
    return [span for _, _, batch in export["batches"] for rs in batch.resource_spans
            for ss in rs.scope_spans for span in ss.spans if span.trace_id.hex() == trace_id]


def test_requests_go_to_v1_traces_in_the_chosen_encoding(export):
    for path, content_type, _ in export["batches"]:
        assert path == "/v1/traces"
        assert content_type == CONTENT_TYPES[export["protocol"]]


def test_resource_and_scope(export):
    for _, _, batch in export["batches"]:
        (resource_spans,) = batch.resource_spans
        resource = attributes(resource_spans.resource.attributes)
        assert resource["service.name"] == ("string_value", "product-otlp")
        assert resource["team"] == ("string_value", "a,b")
        assert resource["telemetry.sdk.language"] == ("string_value", "cpp")
        (scope_spans,) = resource_spans.scope_spans
        assert scope_spans.scope.name == "full-observability"


def test_server_span_continues_the_callers_trace(export):
    spans = spans_of(export, export["trace_id"])
    (server,) = [s for s in spans if s.kind == Span.SPAN_KIND_SERVER]
    assert server.name == "GET /api/products"
    assert server.parent_span_id.hex() == export["parent_id"]
    assert len(server.span_id) == 8 and server.span_id != bytes(8)
    # Sampled, and the parent came from another process (SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK).
    assert server.flags == 0x301
    values = attributes(server.attributes)
    assert values["http.request.method"] == ("string_value", "GET")
    assert values["http.route"] == ("string_value", "/api/products")
    assert values["http.response.status_code"] == ("int_value", 200)
    assert server.status.code == Status.STATUS_CODE_UNSET
    now = time.time_ns()
    assert now - 120e9 < server.start_time_unix_nano <= server.end_time_unix_nano <= now


def test_sql_spans_hang_from_the_server_span(export):
    spans = spans_of(export, export["trace_id"])
    (server,) = [s for s in spans if s.kind == Span.SPAN_KIND_SERVER]
    sql = [s for s in spans if s.kind == Span.SPAN_KIND_CLIENT]
    assert sql, [s.name for s in spans]
    for span in sql:
        assert span.parent_span_id == server.span_id, span.name
        assert span.flags == 0x101  # a local parent
        values = attributes(span.attributes)
        assert values["db.system"] == ("string_value", "postgresql")
        assert values["db.query.text"][1].upper().startswith(("SELECT", "WITH")), values
        assert server.start_time_unix_nano <= span.start_time_unix_nano
        assert span.end_time_unix_nano <= server.end_time_unix_nano


def test_text_that_is_not_utf8_is_repaired(export):
    (span,) = spans_of(export, export["missing_trace"])
    assert span.parent_span_id == b""
    assert span.flags == 0x101
    values = attributes(span.attributes)
    assert values["url.path"] == ("string_value", "/no/such/\ufffd\ufffdx")
    assert values["http.response.status_code"] == ("int_value", 404)
