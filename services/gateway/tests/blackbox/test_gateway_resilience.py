"""Circuit breakers, retries, deadlines, load balancing and health checks, against fake upstreams
that fail, stall or vanish on command."""
from __future__ import annotations

import collections
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from fakes import Reply
from fo_testkit import free_port, problem


def fresh(path: str) -> str:
    return f"{path}?n={uuid.uuid4().hex}"


def parallel(count: int, fn, workers: int = 32):
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda i: fn(i), range(count)))


def wait_until(condition, timeout=5.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def circuit(gateway, upstream: str, index: int = 1) -> str:
    for c in gateway.get("/health/circuits").json()["circuits"]:
        if c["instance"] == f"{upstream}#{index}":
            return c["state"]
    raise AssertionError(f"no circuit for {upstream}#{index}")


class Flaky:
    """Fails the first `failures` requests with `status`, then answers 200."""

    def __init__(self, failures: int, status: int = 503):
        self.left, self.status, self.lock = failures, status, threading.Lock()

    def __call__(self, seen):
        with self.lock:
            if self.left > 0:
                self.left -= 1
                return Reply(self.status, {"failing": True})
        return Reply(200, {"ok": True})


# --- circuit breaker ---------------------------------------------------------------------

def test_breaker_opens_after_five_failures_and_then_spares_the_upstream(gateway):
    token = gateway.token()
    inventory = gateway.up("inventory")
    inventory.handle = lambda seen: Reply(500, {"boom": True})
    for _ in range(5):
        assert gateway.get("/api/inventory", token).status_code == 500
    assert circuit(gateway, "inventory") == "open"
    assert gateway.metric("gateway_circuit_breaker_state", upstream="inventory") == 2
    started = time.monotonic()
    response = gateway.get("/api/inventory", token)
    body = problem(response, 503)
    assert time.monotonic() - started < 0.2
    assert 1 <= int(response.headers["Retry-After"]) <= 2  # GATEWAY_BREAKER_OPEN_MS=1500
    assert "unavailable" in body["detail"]
    assert inventory.count() == 5  # the open breaker kept the sixth away

    # Half-open after the wait: exactly one probe goes through, everyone else is refused.
    time.sleep(1.6)
    assert circuit(gateway, "inventory") == "half_open"
    inventory.handle = lambda seen: Reply(200, {"ok": True}, delay=0.4)
    statuses = parallel(10, lambda i: gateway.get("/api/inventory", token).status_code, workers=10)
    assert sorted(statuses) == [200] + [503] * 9
    assert inventory.count() == 6
    assert circuit(gateway, "inventory") == "closed"
    inventory.handle = inventory.echo
    assert all(gateway.get("/api/inventory", token).status_code == 200 for _ in range(5))


def test_a_failed_probe_opens_the_breaker_again(gateway):
    token = gateway.token()
    inventory = gateway.up("inventory")
    inventory.handle = lambda seen: Reply(500)
    for _ in range(5):
        gateway.get("/api/inventory", token)
    time.sleep(1.6)
    assert gateway.get("/api/inventory", token).status_code == 500  # the probe, failing
    assert circuit(gateway, "inventory") == "open"
    problem(gateway.get("/api/inventory", token), 503)
    assert inventory.count() == 6
    time.sleep(1.6)
    inventory.handle = inventory.echo
    assert gateway.get("/api/inventory", token).status_code == 200
    assert circuit(gateway, "inventory") == "closed"


def test_four_xx_answers_never_trip_the_breaker(gateway):
    token = gateway.token()
    gateway.up("inventory").handle = lambda seen: Reply(404, {"missing": True})
    for _ in range(12):
        assert gateway.get("/api/inventory/99", token).status_code == 404
    assert circuit(gateway, "inventory") == "closed"


# --- retries -----------------------------------------------------------------------------

def test_idempotent_requests_are_retried_with_backoff(gateway):
    token = gateway.token()
    inventory = gateway.up("inventory")
    inventory.handle = Flaky(2, 503)
    started = time.monotonic()
    response = gateway.get("/api/inventory/1", token)
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert inventory.count() == 3
    gaps = [b.at - a.at for a, b in zip(inventory.seen, inventory.seen[1:])]
    assert 0.08 <= gaps[0] <= 0.2, gaps   # 100 ms +-20%, plus the hop
    assert 0.16 <= gaps[1] <= 0.35, gaps  # 200 ms +-20%
    assert elapsed < 1.0
    retried = inventory.seen[1]
    assert retried.header("traceparent") != inventory.seen[0].header("traceparent")


def test_at_most_three_attempts_and_the_last_answer_is_returned(gateway):
    token = gateway.token()
    inventory = gateway.up("inventory")
    inventory.handle = lambda seen: Reply(502, {"bad": "gateway"})
    response = gateway.put("/api/inventory/1/quantity", {"quantity": 1}, gateway.admin())
    assert response.status_code == 502
    assert inventory.count() == 3
    assert response.json() == {"bad": "gateway"}  # the upstream's own answer
    inventory.handle = lambda seen: Reply(500)
    gateway.get("/api/inventory/2", token)
    assert inventory.count() == 4  # 500 is not retried: the request may have had effects


def test_posts_are_retried_only_with_an_idempotency_key(gateway):
    token = gateway.token()
    payment = gateway.up("payment")
    payment.handle = Flaky(1, 503)
    assert gateway.post("/api/payments", {}, token).status_code == 503
    assert payment.count() == 1
    payment.handle = Flaky(1, 503)
    response = gateway.post("/api/payments", {}, token, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 200
    assert payment.count() == 3
    assert payment.seen[-1].header("Idempotency-Key") == "k-1"


def test_four_xx_is_never_retried(gateway):
    token = gateway.token()
    for status in (400, 404, 409, 422, 429):
        before = gateway.up("inventory").count()
        gateway.up("inventory").handle = lambda seen, s=status: Reply(s, {"status": s})
        assert gateway.get("/api/inventory/3", token).status_code == status
        assert gateway.up("inventory").count() == before + 1


def test_retries_move_to_another_instance_and_skip_dead_ones(start_gateway):
    dead = f"127.0.0.1:{free_port()}"  # nothing listens: connection refused
    gw = start_gateway(instances={"product": 2}, env={"GATEWAY_UPSTREAM_PRODUCT_BALANCE": "round_robin"})
    alive = [gw.up("product", 0), gw.up("product", 1)]
    alive[0].handle = lambda seen: Reply(503)
    for _ in range(6):
        response = gw.get(fresh("/api/products"))
        assert response.status_code == 200
        assert response.json()["upstream"] == "product-2"
    # Every request that met instance 1 first was retried on instance 2, never on 1 again.
    assert alive[1].count() == 6
    assert 1 <= alive[0].count() <= 6

    gw2 = start_gateway(env={"GATEWAY_UPSTREAM_PRODUCT": dead + "," + gw.up("product", 1).address,
                             "GATEWAY_UPSTREAM_PRODUCT_BALANCE": "round_robin",
                             "GATEWAY_HEALTH_INTERVAL_MS": "60000"})
    for _ in range(4):
        assert gw2.get(fresh("/api/products")).status_code == 200


def test_the_deadline_bounds_retries_and_slow_upstreams(start_gateway):
    gw = start_gateway(env={"GATEWAY_ROUTE_TIMEOUT_MS": "400"})
    gw.up("product").handle = lambda seen: Reply(200, {"late": True}, delay=2.0)
    started = time.monotonic()
    body = problem(gw.get(fresh("/api/products")), 504)
    assert 0.35 <= time.monotonic() - started < 1.0
    assert "in time" in body["detail"]
    # The caller's own, shorter deadline wins.
    started = time.monotonic()
    problem(gw.get(fresh("/api/products"), headers={"X-Request-Timeout-Ms": "150"}), 504)
    assert time.monotonic() - started < 0.4
    # No retry that cannot finish in time: 503 at once, then 100 ms backoff would overrun.
    gw.up("product").handle = lambda seen: Reply(503, delay=0.32)
    started = time.monotonic()
    assert gw.get(fresh("/api/products")).status_code == 503
    assert time.monotonic() - started < 0.45
    assert gw.up("product").count() == 3


# --- balancing ---------------------------------------------------------------------------

def test_round_robin_spreads_evenly(start_gateway):
    gw = start_gateway(instances={"product": 3},
                       env={"GATEWAY_UPSTREAM_PRODUCT_BALANCE": "round_robin"})
    parallel(300, lambda i: gw.get(fresh("/api/products")).status_code, workers=8)
    counts = [gw.up("product", i).count() for i in range(3)]
    assert sum(counts) == 300
    assert all(90 <= c <= 110 for c in counts), counts


def test_least_request_avoids_the_slow_instance(start_gateway):
    gw = start_gateway(instances={"product": 3})  # least_request is product's default
    slow = gw.up("product", 0)
    slow.handle = lambda seen: Reply(200, {"slow": True}, delay=0.2)
    parallel(240, lambda i: gw.get(fresh("/api/products")).status_code, workers=24)
    counts = [gw.up("product", i).count() for i in range(3)]
    assert sum(counts) == 240
    assert counts[0] < min(counts[1:]) / 2, counts


def test_consistent_hash_keeps_a_key_on_one_instance(start_gateway):
    gw = start_gateway(instances={"payment": 3})  # hashed on Idempotency-Key
    token = gw.token()
    owner = {}
    for key in (f"order-{i}" for i in range(30)):
        served = {gw.post("/api/payments", {}, token, headers={"Idempotency-Key": key}).json()[
            "upstream"] for _ in range(4)}
        assert len(served) == 1, (key, served)
        owner[key] = served.pop()
    assert len(set(owner.values())) == 3  # the keys spread over all instances

    # An instance goes down: only its keys move; everyone else's stay where they were.
    gone = gw.up("payment", 0)
    gone.healthy = False
    wait_until(lambda: not gw.get("/health/services").json()["services"]["payment"]["instances"][0]["healthy"],
               what="payment#1 unhealthy")
    for key, before in owner.items():
        now = gw.post("/api/payments", {}, token, headers={"Idempotency-Key": key}).json()["upstream"]
        if before == "payment-1":
            assert now != "payment-1"
        else:
            assert now == before, key


# --- health checks -----------------------------------------------------------------------

def test_unhealthy_instances_are_skipped_and_come_back(start_gateway):
    gw = start_gateway(instances={"product": 2},
                       env={"GATEWAY_UPSTREAM_PRODUCT_BALANCE": "round_robin"})
    sick = gw.up("product", 0)
    sick.healthy = False
    wait_until(lambda: gw.metric("gateway_upstream_healthy", upstream="product") == 1,
               what="one healthy product instance")
    before = sick.count()
    for _ in range(10):
        assert gw.get(fresh("/api/products")).json()["upstream"] == "product-2"
    assert sick.count() == before
    services = gw.get("/health/services").json()["services"]["product"]
    assert [i["healthy"] for i in services["instances"]] == [False, True]
    assert all(isinstance(i["latency_us"], int) and i["check_latency_us"] >= 0
               for i in services["instances"])
    assert "127.0.0.1" not in gw.get("/health/services").text  # no internal addresses
    sick.healthy = True
    wait_until(lambda: gw.metric("gateway_upstream_healthy", upstream="product") == 2,
               what="both healthy again")
    served = collections.Counter(gw.get(fresh("/api/products")).json()["upstream"] for _ in range(10))
    assert served["product-1"] == 5


def test_no_healthy_instance_means_not_ready_and_503(start_gateway):
    gw = start_gateway()
    gw.up("inventory").healthy = False
    wait_until(lambda: gw.get("/health/ready").status_code == 503, what="not ready")
    ready = gw.get("/readyz").json()
    assert ready["checks"]["upstream inventory"] == "failing"
    response = gw.get("/api/inventory", gw.token())
    problem(response, 503)
    assert response.headers["Retry-After"]
    assert gw.get("/health/live").status_code == 200
    lb = gw.get("/health/loadbalancer").json()["balancers"]
    assert lb["inventory"]["healthy_instances"] == 0
    assert lb["payment"]["strategy"] == "consistent_hash"
    assert lb["payment"]["hash_header"] == "Idempotency-Key"


def test_a_dropped_connection_is_a_502_for_a_post(gateway):
    gateway.up("payment").handle = lambda seen: Reply(drop=True)
    response = gateway.post("/api/payments", {}, gateway.token())
    body = problem(response, 502)
    assert "127.0.0.1" not in body["detail"]
    assert gateway.up("payment").count() == 1


def test_a_post_survives_the_upstream_closing_an_idle_connection(gateway):
    # No Idempotency-Key: the POST may not be replayed, so the gateway must not send it on a
    # pooled connection the upstream has closed in the meantime (that would be a 502).
    upstream = gateway.up("payment")
    token = gateway.token()
    upstream.handle = lambda seen: Reply(201, {"ok": True}, close_idle_after=0.02)
    # Six connections in the gateway's pool, each closed by the upstream 20 ms after its answer.
    parallel(6, lambda _: gateway.post("/api/payments", {}, token), workers=6)
    time.sleep(0.1)  # the health checker (every 200 ms) may take one of them, not six
    upstream.handle = lambda seen: Reply(201, {"ok": True})
    for _ in range(6):
        assert gateway.post("/api/payments", {}, token).status_code == 201
    assert upstream.count() == 12


def test_a_dead_process_behind_a_pooled_connection_is_survived(start_gateway):
    gw = start_gateway(instances={"product": 2}, env={"GATEWAY_UPSTREAM_PRODUCT_BALANCE": "round_robin"})
    for _ in range(4):
        gw.get(fresh("/api/products"))
    gw.up("product", 0).stop()  # pooled keep-alive connections to it now lead nowhere
    for _ in range(6):
        assert gw.get(fresh("/api/products")).status_code == 200
    session = requests.Session()
    assert session.get(gw.base + "/livez").status_code == 200
