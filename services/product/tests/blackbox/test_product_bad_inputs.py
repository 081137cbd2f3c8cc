"""Bad input on every endpoint: each is a 4xx problem+json naming the culprit, never a 500."""
from __future__ import annotations

import json

import pytest
from fo_testkit import problem

GOOD_CREATE = {"name": "Lamp", "sku": "BAD-INPUT-NEVER-CREATED", "price": 100}
GOOD_PUT = {"name": "Lamp", "description": "", "price": 1, "currency": "USD", "category": "",
            "sku": "BAD-INPUT-NEVER-PUT", "is_active": True}


def with_(base, **changes):
    body = {**base, **changes}
    return {k: v for k, v in body.items() if v is not ...}  # ... drops a field


# (label, raw body or JSON value, field named in the 400)
BODY_CASES = {
    "POST": [
        ("malformed JSON", b'{"name": "x",', "body"),
        ("not an object", [], "body"),
        ("a string", "text", "body"),
        ("empty object", {}, "name"),
        ("missing sku", with_(GOOD_CREATE, sku=...), "sku"),
        ("missing price", with_(GOOD_CREATE, price=...), "price"),
        ("null name", with_(GOOD_CREATE, name=None), "name"),
        ("name not a string", with_(GOOD_CREATE, name=5), "name"),
        ("empty name", with_(GOOD_CREATE, name=""), "name"),
        ("blank name", with_(GOOD_CREATE, name="   "), "name"),
        ("name too long", with_(GOOD_CREATE, name="n" * 201), "name"),
        ("price a string", with_(GOOD_CREATE, price="100"), "price"),
        ("price fractional", with_(GOOD_CREATE, price=1.5), "price"),
        ("price negative", with_(GOOD_CREATE, price=-1), "price"),
        ("price too large", with_(GOOD_CREATE, price=10**12 + 1), "price"),
        ("price beyond int64", with_(GOOD_CREATE, price=2**64), "price"),
        ("sku with a space", with_(GOOD_CREATE, sku="A B"), "sku"),
        ("sku with a slash", with_(GOOD_CREATE, sku="A/B"), "sku"),
        ("sku empty", with_(GOOD_CREATE, sku=""), "sku"),
        ("sku too long", with_(GOOD_CREATE, sku="S" * 65), "sku"),
        ("currency lowercase", with_(GOOD_CREATE, currency="usd"), "currency"),
        ("currency too long", with_(GOOD_CREATE, currency="USDX"), "currency"),
        ("currency a number", with_(GOOD_CREATE, currency=840), "currency"),
        ("category too long", with_(GOOD_CREATE, category="c" * 101), "category"),
        ("category an array", with_(GOOD_CREATE, category=["a"]), "category"),
        ("description too long", with_(GOOD_CREATE, description="d" * 5001), "description"),
        ("is_active a string", with_(GOOD_CREATE, is_active="yes"), "is_active"),
        ("is_active a number", with_(GOOD_CREATE, is_active=1), "is_active"),
        ("stock is read-only", with_(GOOD_CREATE, stock=5), "stock"),
        ("unknown field", with_(GOOD_CREATE, colour="red"), "colour"),
        ("NUL in name", with_(GOOD_CREATE, name="a\u0000b"), "name"),
    ],
    "PUT": [
        ("malformed JSON", b"{", "body"),
        ("missing description", with_(GOOD_PUT, description=...), "description"),
        ("missing is_active", with_(GOOD_PUT, is_active=...), "is_active"),
        ("missing currency", with_(GOOD_PUT, currency=...), "currency"),
        ("null category", with_(GOOD_PUT, category=None), "category"),
        ("price a string", with_(GOOD_PUT, price="1"), "price"),
        ("bad sku", with_(GOOD_PUT, sku="no spaces allowed"), "sku"),
        ("stock is read-only", with_(GOOD_PUT, stock=1), "stock"),
        ("unknown field", with_(GOOD_PUT, id=5), "id"),
    ],
    "PATCH": [
        ("malformed JSON", b"[1,", "body"),
        ("not an object", 5, "body"),
        ("null name", {"name": None}, "name"),
        ("null price", {"price": None}, "price"),
        ("null is_active", {"is_active": None}, "is_active"),
        ("null description", {"description": None}, "description"),
        ("empty name", {"name": ""}, "name"),
        ("negative price", {"price": -5}, "price"),
        ("price a bool", {"price": True}, "price"),
        ("bad currency", {"currency": "US"}, "currency"),
        ("oversized description", {"description": "x" * 5001}, "description"),
        ("stock is read-only", {"stock": 3}, "stock"),
        ("unknown field", {"deleted_at": None}, "deleted_at"),
    ],
}


def send(product_api, method, path, body, token):
    if isinstance(body, bytes):
        return product_api.request(method, path, token, data=body,
                                   headers={"Content-Type": "application/json"})
    return product_api.request(method, path, token, json=body)


@pytest.mark.parametrize("method,label,body,field",
                         [(m, *case) for m, cases in BODY_CASES.items() for case in cases],
                         ids=[f"{m} {c[0]}" for m, cases in BODY_CASES.items() for c in cases])
def test_bad_bodies(product_api, admin, prefix, method, label, body, field):
    product = product_api.create(admin, prefix)
    path = "/api/products" if method == "POST" else f"/api/products/{product['id']}"
    response = send(product_api, method, path, body, admin)
    errors = problem(response, 400).get("errors", [])
    assert field in {e["field"] for e in errors}, (label, response.text)
    # nothing changed
    assert product_api.get(f"/api/products/{product['id']}").json() == product


def test_wrong_content_type_is_refused(product_api, admin):
    response = product_api.request("POST", "/api/products", admin, data=json.dumps(GOOD_CREATE),
                                   headers={"Content-Type": "text/plain"})
    assert 400 <= response.status_code < 500
    problem(response, response.status_code)


def test_oversized_body_is_413(product_api, admin):
    response = product_api.post("/api/products", with_(GOOD_CREATE, description="d" * 70000), admin)
    problem(response, 413)


LIST_CASES = [
    ({"min_price": "abc"}, "min_price"),
    ({"min_price": "-1"}, "min_price"),
    ({"min_price": "1.5"}, "min_price"),
    ({"max_price": "1e3"}, "max_price"),
    ({"max_price": str(10**12 + 1)}, "max_price"),
    ({"max_price": "99999999999999999999"}, "max_price"),
    ({"min_price": "500", "max_price": "100"}, "min_price"),
    ({"in_stock": "maybe"}, "in_stock"),
    ({"is_active": "yes"}, "is_active"),
    ({"sort": "id"}, "sort"),
    ({"sort": "-name"}, "sort"),
    ({"sort": "price;DROP TABLE products"}, "sort"),
    ({"limit": "0"}, "limit"),
    ({"limit": "x"}, "limit"),
    ({"limit": "-5"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"offset": "z"}, "offset"),
    ({"q": "q" * 101}, "q"),
    ({"category": "c" * 101}, "category"),
]


@pytest.mark.parametrize("params,field", LIST_CASES, ids=[str(p) for p, _ in LIST_CASES])
def test_bad_list_parameters(product_api, params, field):
    errors = problem(product_api.get("/api/products", params=params), 400).get("errors", [])
    assert field in {e["field"] for e in errors}


@pytest.mark.parametrize("params", [{"limit": "0"}, {"offset": "-1"}, {"limit": "ten"}])
def test_bad_favorites_paging(product_api, user, params):
    problem(product_api.get("/api/products/favorites", user, params=params), 400)


BAD_IDS = ["abc", "0", "-1", "1.5", "99999999999999999999", "1e3", "%20", "12abc"]
ID_ROUTES = [("GET", "/api/products/{}"), ("PUT", "/api/products/{}"),
             ("PATCH", "/api/products/{}"), ("DELETE", "/api/products/{}"),
             ("POST", "/api/products/{}/favorite"), ("DELETE", "/api/products/{}/favorite")]


@pytest.mark.parametrize("method,route", ID_ROUTES, ids=[f"{m} {r}" for m, r in ID_ROUTES])
@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids(product_api, admin, method, route, bad):
    body = GOOD_PUT if method in ("PUT", "PATCH") else None
    response = product_api.request(method, route.format(bad), admin, json=body)
    assert response.status_code < 500
    errors = problem(response, 400).get("errors", [])
    assert "id" in {e["field"] for e in errors}


def test_unknown_routes_and_methods(product_api, admin):
    problem(product_api.get("/api/nothing"), 404)
    response = product_api.request("POST", "/api/products/stats", admin, json={})
    assert response.status_code == 405
    assert response.status_code < 500
