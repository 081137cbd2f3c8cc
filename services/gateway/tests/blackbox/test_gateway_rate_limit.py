"""Rate limiting: token buckets in Redis, exact under parallel clients, per account or address,
strict classes for login and registration, and the fallback while Redis is down."""
from __future__ import annotations

import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests
from fo_testkit import problem

NO_REFILL = "0.001"  # one token per 1000 s: a test's budget is its burst


def fresh(path: str) -> str:
    return f"{path}?n={uuid.uuid4().hex}"


def parallel_statuses(gw, count, make_request, workers=50):
    sessions = {}

    def one(i):
        session = sessions.setdefault(i % workers, requests.Session())
        return make_request(session, i).status_code

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(count)))


def test_exactly_the_burst_passes_under_parallel_clients(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_DEFAULT_PER_SECOND": NO_REFILL,
                            "GATEWAY_RATE_DEFAULT_BURST": "50"})
    statuses = parallel_statuses(
        gw, 200, lambda s, i: s.get(gw.url(fresh("/api/products")), timeout=10))
    assert statuses.count(200) == 50, Counter(statuses)
    assert statuses.count(429) == 150, Counter(statuses)
    assert gw.up("product").count() == 50  # the refused never reached the upstream
    refused = gw.get(fresh("/api/products"))
    body = problem(refused, 429)
    assert body["trace_id"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["RateLimit-Limit"] == "50"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert int(refused.headers["RateLimit-Reset"]) > 0
    assert gw.metric("gateway_rate_limit_decisions_total", decision="limited", source="redis") >= 150


def test_remaining_counts_down(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_DEFAULT_PER_SECOND": NO_REFILL,
                            "GATEWAY_RATE_DEFAULT_BURST": "5"})
    remaining = [gw.get(fresh("/api/products")).headers["RateLimit-Remaining"] for _ in range(5)]
    assert remaining == ["4", "3", "2", "1", "0"]


def test_signed_in_callers_have_budgets_of_their_own(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_DEFAULT_PER_SECOND": NO_REFILL,
                            "GATEWAY_RATE_DEFAULT_BURST": "3"})
    ann, bob = gw.token(sub="101"), gw.token(sub="102")
    assert [gw.get("/users/me", ann).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert gw.get("/users/me", bob).status_code == 200
    assert gw.get(fresh("/api/products")).status_code == 200  # the address's own bucket
    assert gw.get(fresh("/api/products"), ann).status_code == 429  # ann, wherever she goes


def test_refusals_do_not_push_recovery_further_away(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_DEFAULT_PER_SECOND": "5",
                            "GATEWAY_RATE_DEFAULT_BURST": "1"})
    assert gw.get(fresh("/api/products")).status_code == 200
    started = time.monotonic()
    refused = sum(gw.get(fresh("/api/products")).status_code == 429 for _ in range(30))
    assert refused >= 25
    time.sleep(max(0.0, 0.22 - (time.monotonic() - started)))  # one token is back after 200 ms
    assert gw.get(fresh("/api/products")).status_code == 200


def test_login_is_limited_per_account_and_per_address(start_gateway):
    gw = start_gateway(env={"GATEWAY_TRUSTED_PROXIES": "127.0.0.1",
                            "GATEWAY_RATE_LOGIN_PER_SECOND": NO_REFILL,
                            "GATEWAY_RATE_LOGIN_BURST": "4"})

    def login(username, address):
        return gw.post("/auth/login", {"username": username, "password": "guess"},
                       headers={"X-Forwarded-For": address}).status_code

    # One address trying many accounts runs out of its address budget.
    assert [login(f"victim{i}", "10.0.0.1") for i in range(5)] == [200] * 4 + [429]
    # Many addresses trying one account run out of the account's budget (case-insensitively).
    assert [login("Alice" if i % 2 else "alice", f"10.1.0.{i}") for i in range(5)] == \
        [200] * 4 + [429]
    assert login("bob", "10.2.0.1") == 200
    # Other routes from the exhausted address are not affected: login has its own class.
    assert gw.get(fresh("/api/products"), headers={"X-Forwarded-For": "10.0.0.1"}).status_code == 200


def test_registration_has_its_own_strict_class(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_REGISTER_PER_SECOND": NO_REFILL})  # burst 5 by default
    statuses = [gw.post("/auth/register", {"username": f"u{i}"}).status_code for i in range(7)]
    assert statuses == [200] * 5 + [429] * 2


def test_forwarded_for_is_believed_only_from_trusted_proxies(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_DEFAULT_PER_SECOND": NO_REFILL,
                            "GATEWAY_RATE_DEFAULT_BURST": "2"})
    statuses = [gw.get(fresh("/api/products"), headers={"X-Forwarded-For": f"9.9.9.{i}"}).status_code
                for i in range(4)]
    assert statuses == [200, 200, 429, 429]  # spoofed addresses: still one caller


def test_redis_down_falls_back_to_local_buckets_and_recovers(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_DEFAULT_PER_SECOND": NO_REFILL,
                            "GATEWAY_RATE_DEFAULT_BURST": "10"})
    assert all(gw.get(fresh("/api/products")).status_code == 200 for _ in range(3))
    gw.redis.stop()
    # The per-process bucket starts full and is as strict as Redis was configured to be.
    statuses = [gw.get(fresh("/api/products")).status_code for _ in range(12)]
    assert statuses == [200] * 10 + [429] * 2
    assert gw.metric("gateway_rate_limit_fallbacks_total") >= 12
    assert gw.metric("gateway_rate_limit_decisions_total", source="local") >= 12
    assert gw.get("/readyz").status_code == 200  # Redis is not a dependency for readiness
    gw.redis.start()
    deadline = time.monotonic() + 10
    before = gw.metric("gateway_rate_limit_decisions_total", source="redis")
    while gw.metric("gateway_rate_limit_decisions_total", source="redis") == before:
        assert time.monotonic() < deadline, "the gateway did not go back to Redis"
        gw.get(fresh("/api/products"))
        time.sleep(0.1)
    # Redis came back empty (memory only): the shared bucket is full again.
    assert gw.get(fresh("/api/products")).status_code == 200


def test_fail_closed_and_fail_open(start_gateway):
    closed = start_gateway(env={"GATEWAY_RATE_LIMIT_FALLBACK": "closed"})
    closed.redis.stop()
    response = closed.get(fresh("/api/products"))
    problem(response, 503)
    assert response.headers["Retry-After"] == "1"
    assert closed.up("product").count() == 0

    opened = start_gateway(env={"GATEWAY_RATE_LIMIT_FALLBACK": "open",
                                "GATEWAY_RATE_DEFAULT_PER_SECOND": NO_REFILL,
                                "GATEWAY_RATE_DEFAULT_BURST": "2"})
    opened.redis.stop()
    assert all(opened.get(fresh("/api/products")).status_code == 200 for _ in range(6))
