"""GET /api/products: each filter on known data, sort orders, paging and who sees what. Every
query is narrowed to this test's own category or search prefix (the database is shared)."""
from __future__ import annotations

import pytest
from product_support import set_stock
from fo_testkit import problem


@pytest.fixture()
def catalog(product_api, admin, prefix, db):
    """Six products of one fresh category: name, price, stock, active."""
    rows = [("Brass lamp", 300, 5, True), ("alpha chair", 100, 0, True),
            ("Zinc stool", 900, 12, True), ("Hidden lamp", 500, 3, False),
            ("Mid kettle", 500, 0, True), ("Gone lamp", 50, 9, True)]
    made = {}
    for i, (name, price, stock, active) in enumerate(rows):
        product = product_api.create(admin, prefix, i, name=f"{name} {prefix}", price=price,
                                     is_active=active, description=f"about {name.lower()}")
        set_stock(db, product["id"], stock)
        made[name.split()[0].lower()] = product["id"]
    product_api.delete(f"/api/products/{made.pop('gone')}", admin)
    return made


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


def listing(api, token=None, **params):
    return api.get("/api/products", token, params=params)


def test_category_filter_shows_active_products_to_everyone(product_api, catalog, prefix, user):
    expected = [catalog[k] for k in ("brass", "alpha", "zinc", "mid")]
    for token in (None, user):
        response = listing(product_api, token, category=prefix)
        assert ids(response) == expected
        body = response.json()
        assert (body["total"], body["limit"], body["offset"]) == (4, 50, 0)
        assert all(p["is_active"] for p in body["items"])


def test_admins_choose_active_inactive_or_both(product_api, catalog, prefix, admin, user):
    assert ids(listing(product_api, admin, category=prefix)) == \
        [catalog[k] for k in ("brass", "alpha", "zinc", "hidden", "mid")]
    assert ids(listing(product_api, admin, category=prefix, is_active="false")) == \
        [catalog["hidden"]]
    assert len(ids(listing(product_api, admin, category=prefix, is_active="true"))) == 4
    # shoppers asking for inactive products are refused; asking for active ones is fine
    problem(listing(product_api, user, category=prefix, is_active="false"), 403)
    problem(listing(product_api, None, category=prefix, is_active="false"), 403)
    assert len(ids(listing(product_api, user, category=prefix, is_active="true"))) == 4


@pytest.mark.parametrize("params,expected", [
    ({"min_price": 300}, ["brass", "zinc", "mid"]),
    ({"max_price": 300}, ["brass", "alpha"]),
    ({"min_price": 300, "max_price": 500}, ["brass", "mid"]),
    ({"min_price": 500, "max_price": 500}, ["mid"]),
    ({"in_stock": "true"}, ["brass", "zinc"]),
    ({"in_stock": "false"}, ["brass", "alpha", "zinc", "mid"]),
    ({"in_stock": "1", "max_price": 400}, ["brass"]),
])
def test_price_and_stock_filters(product_api, catalog, prefix, params, expected):
    response = listing(product_api, category=prefix, **params)
    assert ids(response) == [catalog[k] for k in expected]
    assert response.json()["total"] == len(expected)


@pytest.mark.parametrize("q,expected", [
    ("LAMP", ["brass"]),            # case-insensitive on the name; the inactive lamp is hidden
    ("ABOUT ZINC", ["zinc"]),       # the description
    ("-2", ["zinc"]),               # the sku ends with -2
    ("chair", ["alpha"]),
    ("%", []),                      # wildcards are literal characters
    ("_", []),
])
def test_text_search(product_api, catalog, prefix, q, expected):
    assert ids(listing(product_api, category=prefix, q=q)) == [catalog[k] for k in expected]


def test_search_alone_finds_across_categories(product_api, catalog, prefix, admin):
    # every name carries the prefix, so q alone narrows to this test's products
    assert len(ids(listing(product_api, q=prefix))) == 4
    assert len(ids(listing(product_api, admin, q=prefix.upper()))) == 5


@pytest.mark.parametrize("sort,expected", [
    (None, ["brass", "alpha", "zinc", "mid"]),
    ("price", ["alpha", "brass", "mid", "zinc"]),
    ("-price", ["zinc", "mid", "brass", "alpha"]),
    ("name", ["brass", "mid", "zinc", "alpha"]),  # byte order of the database collation
    ("created_at", ["brass", "alpha", "zinc", "mid"]),
    ("-created_at", ["mid", "zinc", "alpha", "brass"]),
])
def test_sort_orders(product_api, catalog, prefix, sort, expected, db):
    params = {"category": prefix, **({"sort": sort} if sort else {})}
    got = ids(listing(product_api, **params))
    if sort == "name":  # whatever the collation, the order is the database's order by name
        rows = db.execute("SELECT id FROM products WHERE category = %s AND deleted_at IS NULL "
                          "AND is_active ORDER BY name, id", (prefix,)).fetchall()
        assert got == [r[0] for r in rows]
    else:
        assert got == [catalog[k] for k in expected]


def test_equal_prices_tie_break_by_id(product_api, admin, prefix):
    made = [product_api.create(admin, prefix, i, price=700)["id"] for i in range(3)]
    assert ids(listing(product_api, category=prefix, sort="price")) == made
    assert ids(listing(product_api, category=prefix, sort="-price")) == made[::-1]


def test_paging(product_api, catalog, prefix):
    order = ids(listing(product_api, category=prefix, sort="price"))
    page = listing(product_api, category=prefix, sort="price", limit=2, offset=1)
    assert ids(page) == order[1:3]
    assert (page.json()["total"], page.json()["limit"], page.json()["offset"]) == (4, 2, 1)
    past = listing(product_api, category=prefix, offset=10)
    assert ids(past) == [] and past.json()["total"] == 4
    capped = listing(product_api, category=prefix, limit=1000)
    assert capped.json()["limit"] == 100


def test_favorites_and_stats_paths_are_not_product_ids(product_api, user):
    assert product_api.get("/api/products/stats").status_code == 200
    assert product_api.get("/api/products/favorites", user).status_code == 200
