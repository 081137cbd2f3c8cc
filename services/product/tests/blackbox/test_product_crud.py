"""Create, read, replace, update and soft-delete products; sku uniqueness under concurrency."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import requests
from product_support import set_stock
from fo_testkit import problem

FIELDS = {"id", "name", "description", "price", "currency", "category", "sku", "is_active",
          "stock", "created_at", "updated_at"}


def test_create_returns_the_product_with_defaults_and_location(product_api, admin, prefix):
    response = product_api.post("/api/products",
                                {"name": "Desk Lamp", "sku": f"{prefix}-1", "price": 1999}, admin)
    assert response.status_code == 201, response.text
    product = response.json()
    assert set(product) == FIELDS
    assert response.headers["Location"] == f"/api/products/{product['id']}"
    assert product["name"] == "Desk Lamp" and product["price"] == 1999
    assert (product["currency"], product["category"], product["description"]) == ("USD", "", "")
    assert product["is_active"] is True and product["stock"] == 0
    assert product["created_at"].endswith("Z") and product["updated_at"].endswith("Z")
    assert product_api.get(response.headers["Location"]).json() == product


def test_create_takes_every_writable_field(product_api, admin, prefix):
    body = {"name": "Kettle ☕", "description": "Boils water", "price": 0, "currency": "EUR",
            "category": prefix, "sku": f"{prefix}.A_b-9", "is_active": False}
    product = product_api.post("/api/products", body, admin).json()
    assert {k: product[k] for k in body} == body
    # inactive: admins see it, shoppers do not
    assert product_api.get(f"/api/products/{product['id']}", admin).status_code == 200
    problem(product_api.get(f"/api/products/{product['id']}"), 404)
    problem(product_api.get(f"/api/products/{product['id']}", product_api.token()), 404)


def test_put_replaces_every_field(product_api, admin, prefix):
    product = product_api.create(admin, prefix)
    body = {"name": "New", "description": "d", "price": 5, "currency": "GBP",
            "category": prefix + "-b", "sku": f"{prefix}-new", "is_active": False}
    response = product_api.put(f"/api/products/{product['id']}", body, admin)
    assert response.status_code == 200, response.text
    replaced = response.json()
    assert {k: replaced[k] for k in body} == body
    assert replaced["created_at"] == product["created_at"]
    assert replaced["updated_at"] >= product["updated_at"]


def test_put_requires_every_writable_field(product_api, admin, prefix):
    product = product_api.create(admin, prefix)
    body = problem(product_api.put(f"/api/products/{product['id']}", {"name": "x"}, admin), 400)
    assert {e["field"] for e in body["errors"]} == {"description", "price", "currency", "category",
                                                    "sku", "is_active"}


def test_patch_changes_only_what_is_sent(product_api, admin, prefix):
    product = product_api.create(admin, prefix, description="keep me")
    response = product_api.patch(f"/api/products/{product['id']}", {"price": 4242}, admin)
    assert response.status_code == 200, response.text
    patched = response.json()
    assert patched["price"] == 4242
    assert {k: patched[k] for k in FIELDS - {"price", "updated_at"}} == \
        {k: product[k] for k in FIELDS - {"price", "updated_at"}}
    patched = product_api.patch(f"/api/products/{product['id']}", {"is_active": False}, admin).json()
    assert patched["is_active"] is False and patched["price"] == 4242


def test_delete_is_soft_and_frees_the_sku(product_api, admin, prefix, db):
    product = product_api.create(admin, prefix)
    assert product_api.delete(f"/api/products/{product['id']}", admin).status_code == 204
    for token in (None, admin):
        problem(product_api.get(f"/api/products/{product['id']}", token), 404)
    problem(product_api.delete(f"/api/products/{product['id']}", admin), 404)
    problem(product_api.put(f"/api/products/{product['id']}",
                            {"name": "n", "description": "", "price": 1, "currency": "USD",
                             "category": "", "sku": f"{prefix}-x", "is_active": True}, admin), 404)
    problem(product_api.patch(f"/api/products/{product['id']}", {"price": 1}, admin), 404)
    row = db.execute("SELECT deleted_at IS NOT NULL FROM products WHERE id = %s",
                     (product["id"],)).fetchone()
    assert row == (True,)  # still there, marked deleted
    again = product_api.create(admin, prefix)  # same sku
    assert again["id"] != product["id"] and again["sku"] == product["sku"]


def test_absent_products_are_404(product_api, admin):
    for method in ("get", "delete"):
        problem(getattr(product_api, method)("/api/products/999999999999", admin), 404)
    problem(product_api.patch("/api/products/999999999999", {"price": 1}, admin), 404)


def test_duplicate_live_sku_is_409_naming_sku(product_api, admin, prefix):
    product_api.create(admin, prefix)
    body = problem(product_api.post("/api/products",
                                    {"name": "x", "sku": f"{prefix}-0", "price": 1}, admin), 409)
    assert [e["field"] for e in body.get("errors", [])] == ["sku"]
    other = product_api.create(admin, prefix, 1)
    problem(product_api.patch(f"/api/products/{other['id']}", {"sku": f"{prefix}-0"}, admin), 409)


def test_parallel_creates_of_one_sku_succeed_exactly_once(product_api, admin, prefix, db):
    barrier = threading.Barrier(20)

    def create(i):
        barrier.wait()
        return requests.post(product_api.url("/api/products"),
                             json={"name": f"racer {i}", "sku": f"{prefix}-race", "price": 1},
                             headers={"Authorization": f"Bearer {admin}"}, timeout=10).status_code

    with ThreadPoolExecutor(20) as pool:
        codes = sorted(pool.map(create, range(20)))
    assert codes == [201] + [409] * 19, codes
    live = db.execute("SELECT count(*) FROM products WHERE sku = %s AND deleted_at IS NULL",
                      (f"{prefix}-race",)).fetchone()[0]
    assert live == 1


def test_stock_is_read_only_but_shown(product_api, admin, prefix, db):
    product = product_api.create(admin, prefix)
    set_stock(db, product["id"], 17)
    assert product_api.get(f"/api/products/{product['id']}").json()["stock"] == 17
    for send in (product_api.post, product_api.put, product_api.patch):
        path = "/api/products" if send == product_api.post else f"/api/products/{product['id']}"
        body = {"name": "n", "description": "", "price": 1, "currency": "USD", "category": "",
                "sku": f"{prefix}-s", "is_active": True, "stock": 5}
        errors = problem(send(path, body, admin), 400)["errors"]
        assert "stock" in {e["field"] for e in errors}
    assert product_api.get(f"/api/products/{product['id']}").json()["stock"] == 17


def test_favorites_is_never_read_as_an_id(product_api, user):
    # The literal segment wins: anonymous gets 401 (a user route), not 400/404 for a bad id.
    problem(product_api.get("/api/products/favorites"), 401)
    response = product_api.get("/api/products/favorites", user)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"items", "total", "limit", "offset"}
