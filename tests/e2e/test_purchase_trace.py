"""A purchase through the gateway is ONE trace in Jaeger, across every hop: the gateway's server
span, payment's server span, its gRPC calls to user, product and inventory (client and server
spans), inventory's SQL, the provider call, the outbox write; then, over Kafka, the outbox
relay's producer span, inventory's consumer span with its SQL and its own producer span, and the
product service's consumer span. Every span's parent is in the trace, and there is one root."""
from __future__ import annotations

import json
import time

import pytest
import requests
from fo_testkit import required_env


def fetch_trace(trace_id: str, ready, timeout: float = 30) -> dict:
    """The trace from Jaeger's query API, once `ready(trace)` holds."""
    url = f"{required_env('JAEGER_URL')}/api/traces/{trace_id}"
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        response = requests.get(url, timeout=5)
        if response.status_code == 200 and response.json()["data"]:
            last = Trace(response.json()["data"][0])
            if ready(last):
                return last
        time.sleep(0.3)
    raise AssertionError(f"trace {trace_id} incomplete after {timeout} s:\n"
                         + (last.tree() if last else "no trace"))


class Trace:
    def __init__(self, data: dict):
        self.data = data
        self.service_of = {pid: p["serviceName"] for pid, p in data["processes"].items()}
        self.spans = {span["spanID"]: span for span in data["spans"]}

    @staticmethod
    def tags(span: dict) -> dict:
        return {tag["key"]: tag["value"] for tag in span["tags"]}

    @staticmethod
    def parent(span: dict) -> str | None:
        refs = [r["spanID"] for r in span.get("references", []) if r["refType"] == "CHILD_OF"]
        return refs[0] if refs else None

    def service(self, span: dict) -> str:
        return self.service_of[span["processID"]].split("-observe-")[0]

    def find(self, service: str, kind: str, name: str | None = None, **tags) -> list[dict]:
        return [s for s in self.spans.values() if self.service(s) == service
                and self.tags(s).get("span.kind") == kind
                and (name is None or s["operationName"] == name)
                and all(self.tags(s).get(k) == v for k, v in tags.items())]

    def one(self, service: str, kind: str, name: str | None = None, **tags) -> dict:
        found = self.find(service, kind, name, **tags)
        assert len(found) == 1, (service, kind, name, tags, self.tree())
        return found[0]

    def ancestors(self, span: dict) -> list[dict]:
        chain = []
        while (parent := self.parent(span)) is not None:
            span = self.spans[parent]
            chain.append(span)
        return chain

    def tree(self) -> str:
        children: dict[str | None, list[dict]] = {}
        for span in self.spans.values():
            children.setdefault(self.parent(span), []).append(span)
        lines = []

        def walk(parent, depth):
            for span in sorted(children.get(parent, []), key=lambda s: s["startTime"]):
                tags = self.tags(span)
                lines.append(f"{'  ' * depth}{self.service(span)} {tags.get('span.kind')} "
                             f"{span['operationName']} {'ERROR' if tags.get('error') else ''}")
                walk(span["spanID"], depth + 1)

        walk(None, 0)
        orphans = [s for s in self.spans.values()
                   if self.parent(s) is not None and self.parent(s) not in self.spans]
        lines += [f"ORPHAN {self.service(s)} {s['operationName']}" for s in orphans]
        return "\n".join(lines)


def complete_purchase(trace: Trace) -> bool:
    """Every consumer has handled the purchase's events, and every span they hang from has
    arrived too (a producer span can reach Jaeger in a later batch than its consumers')."""
    return settled(trace) and all(
        trace.find(name, "consumer") for name in ("inventory", "product", "gateway"))


@pytest.fixture(scope="module")
def purchase(full_stack):
    admin = full_stack.admin_token()
    product = full_stack.new_product(admin, stock=3)
    response = full_stack.buy(full_stack.new_buyer(), product)
    assert response.status_code == 201, response.text
    trace_id = response.headers["X-Trace-Id"]
    return fetch_trace(trace_id, complete_purchase)


def test_the_purchase_trace_has_one_root_and_no_orphans(purchase):
    roots = [s for s in purchase.spans.values() if purchase.parent(s) is None]
    assert len(roots) == 1, purchase.tree()
    root = roots[0]
    assert purchase.service(root) == "gateway" and purchase.tags(root)["span.kind"] == "server"
    assert purchase.tags(root)["http.route"] == "/api/payments"
    for span in purchase.spans.values():
        assert span is root or purchase.parent(span) in purchase.spans, purchase.tree()
    assert {purchase.service(s) for s in purchase.spans.values()} == {
        "gateway", "payment", "user", "product", "inventory"}, purchase.tree()


def test_the_synchronous_hops_hang_together(purchase):
    t = purchase
    edge = t.one("gateway", "server")
    payment = t.one("payment", "server", "POST /api/payments")
    assert t.tags(payment)["http.route"] == "/api/payments"
    assert edge in t.ancestors(payment)
    # Each gRPC call: payment's client span parents the callee's server span.
    for callee in ("user", "product", "inventory"):
        servers = [s for s in t.find(callee, "server") if "rpc.method" in t.tags(s)]
        assert servers, (callee, t.tree())
        for server in servers:
            client = t.spans[t.parent(server)]
            assert t.service(client) == "payment" and t.tags(client)["span.kind"] == "client"
            assert t.tags(client)["rpc.system"] == "grpc"
            assert t.tags(client)["rpc.service"] == t.tags(server)["rpc.service"]
            assert t.tags(client)["rpc.method"] == t.tags(server)["rpc.method"]
            assert client["operationName"] == server["operationName"] == (
                f"{t.tags(server)['rpc.service']}/{t.tags(server)['rpc.method']}")
            assert payment in t.ancestors(server)
    # Inventory's Reserve runs its SQL under its server span.
    reserve = t.one("inventory", "server", "inventory.v1.InventoryService/Reserve")
    assert t.tags(reserve)["rpc.service"] == "inventory.v1.InventoryService"
    assert t.tags(reserve)["rpc.method"] == "Reserve"
    assert t.tags(reserve)["rpc.grpc.status_code"] == 0
    sql = [s for s in t.find("inventory", "client") if t.spans[t.parent(s)] is reserve]
    assert {s["operationName"] for s in sql} >= {"INSERT reservations", "UPDATE stock_items"}
    for span in sql:
        assert t.tags(span)["db.system"] == "postgresql"
        assert t.tags(span)["db.query.text"]
        assert span["operationName"] == (f"{t.tags(span)['db.operation.name']} "
                                         f"{t.tags(span)['db.collection.name']}")
    # The provider is a hop of its own, its ledger write beneath it; the outbox write is in the
    # purchase's own transaction, under payment's server span.
    provider = t.one("payment", "client", "payment provider charge")
    assert t.spans[t.parent(provider)] is payment
    assert t.tags(provider)["payment.provider.outcome"] == "charged"
    assert not t.tags(provider).get("error")
    assert [s["operationName"] for s in t.spans.values() if t.parent(s) == provider["spanID"]] == [
        "INSERT provider_charges"]
    outbox = t.one("payment", "client", "INSERT outbox")
    assert t.spans[t.parent(outbox)] is payment
    assert not [s for s in t.spans.values() if t.tags(s).get("error")], t.tree()


def test_the_events_continue_the_trace_over_kafka(purchase):
    t = purchase
    payment = t.one("payment", "server", "POST /api/payments")
    produced = [s for s in t.find("payment", "producer")]
    assert produced, t.tree()
    for span in produced:
        assert t.tags(span)["messaging.system"] == "kafka"
        assert t.tags(span)["messaging.destination.name"] == "payment.events"
        assert payment in t.ancestors(span), t.tree()
    consumed = t.find("inventory", "consumer")
    assert consumed and all(t.spans[t.parent(s)] in produced for s in consumed), t.tree()
    # Inventory's handling writes SQL and publishes its own event, which product consumes.
    inventory_out = t.find("inventory", "producer")
    assert inventory_out and all(
        any(c in t.ancestors(s) for c in consumed) for s in inventory_out), t.tree()
    product_in = t.find("product", "consumer")
    assert product_in and all(t.spans[t.parent(s)] in inventory_out for s in product_in), t.tree()
    # The gateway consumes the same event (its cache of the product's pages is invalidated).
    gateway_in = t.find("gateway", "consumer")
    assert gateway_in and all(t.spans[t.parent(s)] in inventory_out for s in gateway_in)
    for span in consumed + product_in + gateway_in:
        tags = t.tags(span)
        assert tags["messaging.system"] == "kafka"
        assert tags["messaging.operation.type"] == "process"
        assert tags["messaging.consumer.group.name"]
        assert span["operationName"] == f"{tags['messaging.destination.name']} process"


def settled(trace: Trace) -> bool:
    """The gateway's spans (which end last) have arrived and no parent is missing."""
    return bool(trace.find("gateway", "server")) and all(
        trace.parent(s) is None or trace.parent(s) in trace.spans for s in trace.spans.values())


def error_spans(trace: Trace) -> list[tuple[str, str, str]]:
    return sorted((trace.service(s), trace.tags(s)["span.kind"], s["operationName"])
                  for s in trace.spans.values() if trace.tags(s).get("error"))


def test_a_declined_purchase_marks_the_provider_span_as_the_error(full_stack):
    admin = full_stack.admin_token()
    product = full_stack.new_product(admin, stock=3)
    response = full_stack.buy(full_stack.new_buyer(), product, method="test_decline")
    assert response.status_code == 402, response.text
    assert response.json()["trace_id"] == response.headers["X-Trace-Id"]
    # A declined purchase releases its reservation: inventory consumes that event too.
    trace = fetch_trace(response.headers["X-Trace-Id"],
                        lambda t: settled(t) and t.find("inventory", "consumer"))
    # The provider's answer is the failure; a 402 is the client's outcome, not a server error
    # (OpenTelemetry's HTTP conventions), so no server span is marked.
    assert error_spans(trace) == [("payment", "client", "payment provider charge")], trace.tree()
    provider = trace.one("payment", "client", "payment provider charge")
    assert trace.tags(provider)["payment.provider.outcome"] == "declined"
    assert trace.tags(provider)["otel.status_description"] == "the charge was declined"


def test_an_out_of_stock_purchase_is_an_answer_not_an_error(full_stack):
    admin = full_stack.admin_token()
    product = full_stack.new_product(admin, stock=0)
    response = full_stack.buy(full_stack.new_buyer(), product)
    assert response.status_code == 409, response.text
    assert response.json()["trace_id"] == response.headers["X-Trace-Id"]
    trace = fetch_trace(response.headers["X-Trace-Id"], settled)
    # Inventory answered the reservation (rejected: short of stock) and payment turned that into
    # a 409: every hop worked, so no span is an error.
    assert error_spans(trace) == [], trace.tree()
    reserve = trace.one("inventory", "server", "inventory.v1.InventoryService/Reserve")
    assert trace.tags(reserve)["rpc.grpc.status_code"] == 0


def test_an_unavailable_provider_records_the_exception(full_stack):
    admin = full_stack.admin_token()
    product = full_stack.new_product(admin, stock=3)
    response = full_stack.buy(full_stack.new_buyer(), product, method="test_unavailable")
    assert response.status_code == 503, response.text
    trace = fetch_trace(response.headers["X-Trace-Id"], settled)
    # The gateway may retry a 503 (the Idempotency-Key makes that safe): one span per attempt.
    calls = trace.find("payment", "client", "payment provider charge")
    assert calls, trace.tree()
    for provider in calls:
        assert trace.tags(provider)["error"] is True
        (event,) = [log for log in provider["logs"]
                    if {"key": "event", "type": "string", "value": "exception"} in log["fields"]]
        fields = {f["key"]: f["value"] for f in event["fields"]}
        assert "unavailable" in fields["exception.message"], fields
        assert fields["exception.type"]
    # A 503 is the server's failure: the server spans say so.
    assert ("payment", "server", "POST /api/payments") in error_spans(trace)
    assert ("gateway", "server", "POST /api/payments") in error_spans(trace)


def log_lines(full_stack, trace_id: str) -> list[tuple[str, dict]]:
    found = []
    for name, service in full_stack.services.items():
        for raw in service.output().splitlines():
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if isinstance(line, dict) and line.get("trace_id") == trace_id:
                found.append((name, line))
    return found


def test_the_log_lines_of_the_purchase_carry_its_trace_and_their_span(full_stack, purchase):
    trace_id = purchase.data["traceID"]
    lines = log_lines(full_stack, trace_id)
    # Each service that served the purchase over HTTP wrote its access line inside its span.
    requests_logged = {name: line for name, line in lines if line.get("msg") == "request"}
    assert set(requests_logged) >= {"gateway", "payment"}, lines
    assert requests_logged["payment"]["span_id"] == purchase.one(
        "payment", "server", "POST /api/payments")["spanID"]
    assert requests_logged["gateway"]["span_id"] == purchase.one("gateway", "server")["spanID"]
    for name, line in lines:
        assert line["span_id"] in purchase.spans, (name, line)
