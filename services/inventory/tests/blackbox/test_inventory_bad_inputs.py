"""Malformed input is a 4xx problem+json naming what is wrong, never a 500."""
from __future__ import annotations

import pytest
from fo_testkit import problem

LONG = "x" * 65


@pytest.fixture(scope="module")
def row(api):
    return api.stock(10)


# (body, status, fields named in `errors`; None: any)
CREATE_BODIES = [
    ("not json", 400, {"body"}),
    ("[1, 2]", 400, {"body"}),
    ("{\"product_id\": 1, ", 400, {"body"}),
    ({}, 400, {"product_id", "quantity"}),
    ({"quantity": 1}, 400, {"product_id"}),
    ({"product_id": 1}, 400, {"quantity"}),
    ({"product_id": "1", "quantity": 1}, 400, {"product_id"}),
    ({"product_id": 1.5, "quantity": 1}, 400, {"product_id"}),
    ({"product_id": 0, "quantity": 1}, 400, {"product_id"}),
    ({"product_id": -4, "quantity": 1}, 400, {"product_id"}),
    ({"product_id": 2**63, "quantity": 1}, 400, {"product_id"}),
    ({"product_id": 1, "quantity": -1}, 400, {"quantity"}),
    ({"product_id": 1, "quantity": "5"}, 400, {"quantity"}),
    ({"product_id": 1, "quantity": True}, 400, {"quantity"}),
    ({"product_id": 1, "quantity": 10**10}, 400, {"quantity"}),
    ({"product_id": 1, "quantity": 1, "location": ""}, 400, {"location"}),
    ({"product_id": 1, "quantity": 1, "location": LONG}, 400, {"location"}),
    ({"product_id": 1, "quantity": 1, "location": 7}, 400, {"location"}),
    ({"product_id": 1, "quantity": 1, "location": "a\u0000b"}, 400, {"location"}),
    ({"product_id": 1, "quantity": 1, "location": "a\nb"}, 400, {"location"}),
    ({"product_id": 1, "quantity": 1, "extra": 1}, 400, {"extra"}),
]


@pytest.mark.parametrize("body,status,fields", CREATE_BODIES)
def test_create_bad_bodies(api, admin, body, status, fields):
    if isinstance(body, str):
        response = api.post("/api/inventory", None, admin, data=body,
                            headers={"Content-Type": "application/json"})
    else:
        response = api.post("/api/inventory", body, admin)
    answer = problem(response, status)
    if fields is not None:
        assert {e["field"] for e in answer.get("errors", [])} == fields, answer


PATCH_BODIES = [
    ("nope", {}, {"body"}),
    ({}, {}, {"quantity"}),
    ({"quantity": 1, "delta": 1}, {}, {"quantity"}),
    ({"delta": 0}, {}, {"delta"}),
    ({"delta": "1"}, {}, {"delta"}),
    ({"delta": 1.5}, {}, {"delta"}),
    ({"delta": 10**10}, {}, {"delta"}),
    ({"delta": -(10**10)}, {}, {"delta"}),
    ({"quantity": -1}, {"If-Match": '"1"'}, {"quantity"}),
    ({"quantity": None, "delta": None}, {}, {"quantity"}),
    ({"delta": 1, "reason": "r" * 201}, {}, {"reason"}),
    ({"delta": 1, "reason": 5}, {}, {"reason"}),
    ({"delta": 1, "location": ""}, {}, {"location"}),
    ({"delta": 1, "location": LONG}, {}, {"location"}),
    ({"delta": 1, "what": True}, {}, {"what"}),
    ({"quantity": 3}, {"If-Match": "1"}, {"If-Match"}),
    ({"quantity": 3}, {"If-Match": 'W/"1"'}, {"If-Match"}),
    ({"quantity": 3}, {"If-Match": "*"}, {"If-Match"}),
    ({"quantity": 3}, {"If-Match": '"1", "2"'}, {"If-Match"}),
    ({"quantity": 3}, {"If-Match": '"abc"'}, {"If-Match"}),
    ({"quantity": 3}, {"If-Match": '"0"'}, {"If-Match"}),
    ({"quantity": 3}, {"If-Match": '"99999999999999999999999"'}, {"If-Match"}),
]


@pytest.mark.parametrize("body,headers,fields", PATCH_BODIES)
def test_patch_bad_bodies(api, admin, row, body, headers, fields):
    url = f"/api/inventory/{row['product_id']}/quantity"
    if isinstance(body, str):
        response = api.patch(url, None, admin, data=body,
                             headers={"Content-Type": "application/json", **headers})
    else:
        response = api.patch(url, body, admin, headers=headers)
    answer = problem(response, 400)
    assert {e["field"] for e in answer.get("errors", [])} == fields, answer


def test_wrong_content_type(api, admin):
    response = api.post("/api/inventory", None, admin, data="product_id=1",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code in (400, 415)
    problem(response, response.status_code)


@pytest.mark.parametrize("path,field", [
    ("/api/inventory/0", "id"),
    ("/api/inventory/-1", "id"),
    ("/api/inventory/abc", "id"),
    ("/api/inventory/1.5", "id"),
    ("/api/inventory/99999999999999999999", "id"),
    ("/api/inventory/product/0", "product_id"),
    ("/api/inventory/product/x", "product_id"),
    ("/api/inventory/check/0", "product_id"),
    ("/api/inventory/check/abc", "product_id"),
    ("/api/inventory/check/1?quantity=0", "quantity"),
    ("/api/inventory/check/1?quantity=-2", "quantity"),
    ("/api/inventory/check/1?quantity=abc", "quantity"),
    ("/api/inventory/check/1?quantity=1.5", "quantity"),
    ("/api/inventory/check/1?quantity=1000001", "quantity"),
    ("/api/inventory/check/1?quantity=", "quantity"),
    ("/api/inventory?limit=0", "limit"),
    ("/api/inventory?limit=abc", "limit"),
    ("/api/inventory?offset=-1", "offset"),
    ("/api/inventory?offset=x", "offset"),
])
def test_bad_ids_and_query_parameters(api, user, path, field):
    answer = problem(api.get(path, user), 400)
    assert {e["field"] for e in answer["errors"]} == {field}


@pytest.mark.parametrize("path", ["/api/inventory/0/quantity", "/api/inventory/abc/quantity",
                                  "/api/inventory/-5/quantity"])
def test_bad_product_ids_in_patch(api, admin, path):
    answer = problem(api.patch(path, {"delta": 1}, admin), 400)
    assert {e["field"] for e in answer["errors"]} == {"product_id"}


def test_unknown_routes_and_methods(api, admin):
    problem(api.get("/api/inventory/1/2/3", admin), 404)
    problem(api.delete("/api/inventory/1", admin), 405)
    problem(api.put("/api/inventory/1/quantity", {"delta": 1}, admin), 405)


def test_oversized_body_is_413(api, admin):
    response = api.post("/api/inventory", {"product_id": 1, "quantity": 1, "pad": "x" * 70000},
                        admin)
    problem(response, 413)
