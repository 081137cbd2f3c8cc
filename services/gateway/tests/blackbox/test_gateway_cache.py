"""The response cache for public catalog GETs: hits and misses, what is never stored or shared,
validators, expiry and purges."""
from __future__ import annotations

import json
import time
import uuid

from fakes import Reply
from fo_testkit import problem


def unique(prefix="/api/products") -> str:
    return f"{prefix}?q={uuid.uuid4().hex}"


def test_a_miss_then_hits_served_without_the_upstream(gateway):
    path = unique()
    product = gateway.up("product")
    first = gateway.get(path)
    assert first.status_code == 200 and first.headers["X-Cache"] == "MISS"
    for _ in range(3):
        hit = gateway.get(path)
        assert hit.headers["X-Cache"] == "HIT"
        assert hit.json() == first.json()
        assert hit.headers["Content-Type"] == first.headers["Content-Type"]
        assert hit.headers["ETag"] == first.headers["ETag"]
    assert product.count() == 1
    assert gateway.metric("gateway_cache_requests_total", result="hit") >= 3


def test_equivalent_queries_share_an_entry(gateway):
    tag = uuid.uuid4().hex
    assert gateway.get(f"/api/products?b=2&a=1&t={tag}").headers["X-Cache"] == "MISS"
    assert gateway.get(f"/api/products?t={tag}&a=1&b=2").headers["X-Cache"] == "HIT"
    assert gateway.get(f"/api/products?t={tag}&a=1&b=3").headers["X-Cache"] == "MISS"
    assert gateway.get(f"/api/categories?t={tag}").headers["X-Cache"] == "MISS"


def test_only_successful_answers_are_kept(start_gateway):
    # A gateway of its own: the 5xx answers below open the product breaker.
    gw = start_gateway(env={"GATEWAY_BREAKER_FAILURES": "100"})
    product = gw.up("product")
    for status in (404, 500, 503, 201):
        path = unique("/api/products/1")
        product.handle = lambda seen, s=status: Reply(s, {"status": s})
        gw.get(path)
        before = product.count()
        gw.get(path)
        assert product.count() > before, status


def test_upstream_private_or_no_store_answers_are_not_kept(gateway):
    product = gateway.up("product")
    for control in ("private, max-age=60", "no-store"):
        path = unique()
        product.handle = lambda seen, c=control: Reply(200, {"c": c}, {"Cache-Control": c})
        gateway.get(path)
        assert gateway.get(path).headers["X-Cache"] == "MISS"


def test_answers_that_depend_on_the_caller_are_never_shared(gateway):
    path = unique()
    admin = gateway.admin()
    product = gateway.up("product")
    product.handle = lambda seen: Reply(200, {"for": seen.header("Authorization") or "anyone"})
    seen_by_admin = gateway.get(path, admin)
    assert seen_by_admin.headers["X-Cache"] == "BYPASS"
    anonymous = gateway.get(path)
    assert anonymous.headers["X-Cache"] == "MISS"
    assert anonymous.json() == {"for": "anyone"}
    again = gateway.get(path, admin)  # the anonymous entry is not served to a signed-in caller
    assert again.headers["X-Cache"] == "BYPASS"
    assert again.json()["for"].startswith("Bearer ")
    assert product.count() == 3


def test_if_none_match_gives_304(gateway):
    path = unique()
    first = gateway.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    for validator in (etag, f'W/{etag}', f'"other", {etag}', "*"):
        not_modified = gateway.get(path, headers={"If-None-Match": validator})
        assert not_modified.status_code == 304, validator
        assert not_modified.content == b""
        assert not_modified.headers["ETag"] == etag
    assert gateway.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    # On a miss too: the fresh answer is compared with the client's validator.
    other = unique()
    gateway.up("product").handle = lambda seen: Reply(200, {"same": "body"})
    tag = gateway.get(other).headers["ETag"]
    gateway.up("product").handle = lambda seen: Reply(200, {"same": "body"})
    third = unique()
    assert gateway.get(third, headers={"If-None-Match": tag}).status_code == 304


def test_entries_expire_after_the_route_ttl(start_gateway, tmp_path):
    routes = json.loads((__import__("pathlib").Path(__file__).parents[2] /
                         "config/routes.json").read_text())
    for route in routes["routes"]:
        if route.get("cache"):
            route["cache_ttl_seconds"] = 1
    path_file = tmp_path / "routes.json"
    path_file.write_text(json.dumps(routes))
    gw = start_gateway(env={"GATEWAY_ROUTES_FILE": str(path_file)})
    path = unique()
    assert gw.get(path).headers["X-Cache"] == "MISS"
    assert gw.get(path).headers["X-Cache"] == "HIT"
    time.sleep(1.2)
    assert gw.get(path).headers["X-Cache"] == "MISS"


def test_purge_everything_or_one_product(gateway):
    admin = gateway.admin()
    paths = {"p7": "/api/products/7", "p8": "/api/products/8", "list": unique(),
             "categories": "/api/categories"}
    for path in paths.values():
        gateway.get(path)
        assert gateway.get(path).headers["X-Cache"] == "HIT", path
    purged = gateway.post("/admin/gateway/cache/purge?product_id=7", None, admin)
    assert purged.status_code == 200
    assert purged.json()["purged"] >= 3  # product 7 and every list
    assert gateway.get(paths["p7"]).headers["X-Cache"] == "MISS"
    assert gateway.get(paths["list"]).headers["X-Cache"] == "MISS"
    assert gateway.get(paths["categories"]).headers["X-Cache"] == "MISS"
    assert gateway.get(paths["p8"]).headers["X-Cache"] == "HIT"

    everything = gateway.post("/admin/gateway/cache/purge", None, admin)
    assert everything.json()["purged"] >= 4
    for path in paths.values():
        assert gateway.get(path).headers["X-Cache"] == "MISS", path
    problem(gateway.post("/admin/gateway/cache/purge?product_id=x", None, admin), 400)
    problem(gateway.post("/admin/gateway/cache/purge?product_id=-1", None, admin), 400)


def test_without_redis_the_cache_misses_and_the_catalog_still_answers(start_gateway):
    gw = start_gateway(env={"GATEWAY_RATE_LIMIT_FALLBACK": "open"})
    path = unique()
    gw.get(path)
    gw.redis.stop()
    for _ in range(3):
        response = gw.get(path)
        assert response.status_code == 200
        assert response.headers["X-Cache"] == "MISS"
    assert gw.metric("gateway_cache_store_errors_total") >= 6  # three reads, three writes
    problem(gw.post("/admin/gateway/cache/purge", None, gw.admin()), 503)
