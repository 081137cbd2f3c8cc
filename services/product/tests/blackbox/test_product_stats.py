"""GET /api/products/stats and GET /api/categories against true counts queried from the
database at assertion time (another suite may be creating products meanwhile)."""
from __future__ import annotations

from product_support import LOW_STOCK_THRESHOLD, set_stock, stable

STATS_SQL = """
SELECT count(*), count(*) FILTER (WHERE is_active),
       count(*) FILTER (WHERE is_active AND stock = 0),
       count(*) FILTER (WHERE is_active AND stock > 0 AND stock <= %(t)s),
       COALESCE(sum(stock), 0),
       COALESCE(floor(avg(price) FILTER (WHERE is_active)), 0),
       count(DISTINCT category) FILTER (WHERE is_active AND category <> '')
FROM products WHERE deleted_at IS NULL"""

CATEGORIES_SQL = """
SELECT category, count(*) FROM products
WHERE deleted_at IS NULL AND is_active AND category <> '' GROUP BY category ORDER BY category"""


def truth(db):
    totals = db.execute(STATS_SQL, {"t": LOW_STOCK_THRESHOLD}).fetchone()
    categories = db.execute(CATEGORIES_SQL).fetchall()
    keys = ("total_products", "active_products", "out_of_stock", "low_stock", "total_stock",
            "average_price", "total_categories")
    expected = {k: int(v) for k, v in zip(keys, totals)}
    expected["products_by_category"] = {name: count for name, count in categories}
    return expected


def make_spread(product_api, admin, prefix, db):
    """Products covering every stats bucket: out of stock, low, at the threshold, plenty,
    inactive, deleted."""
    stocks = [0, 1, LOW_STOCK_THRESHOLD, LOW_STOCK_THRESHOLD + 1]
    for i, stock in enumerate(stocks):
        product = product_api.create(admin, prefix, i, price=100 * (i + 1))
        set_stock(db, product["id"], stock)
    hidden = product_api.create(admin, prefix, 10, is_active=False, category=prefix + "-hidden")
    set_stock(db, hidden["id"], 0)
    gone = product_api.create(admin, prefix, 11, category=prefix + "-gone")
    product_api.delete(f"/api/products/{gone['id']}", admin)


def test_stats_are_true_counts(product_api, admin, prefix, db):
    make_spread(product_api, admin, prefix, db)
    response, expected = stable(lambda: product_api.get("/api/products/stats"), lambda: truth(db))
    assert response.status_code == 200, response.text
    assert response.json() == expected
    stats = response.json()
    assert stats["products_by_category"][prefix] == 4
    assert prefix + "-hidden" not in stats["products_by_category"]
    assert prefix + "-gone" not in stats["products_by_category"]
    assert stats["total_categories"] == len(stats["products_by_category"])


def test_stats_move_with_the_catalog(product_api, admin, prefix, db):
    make_spread(product_api, admin, prefix, db)
    before, _ = stable(lambda: product_api.get("/api/products/stats").json(), lambda: truth(db))
    extra = product_api.create(admin, prefix, 20)  # active, stock 0
    after, expected = stable(lambda: product_api.get("/api/products/stats").json(),
                             lambda: truth(db))
    assert after == expected
    assert after["products_by_category"][prefix] == before["products_by_category"][prefix] + 1
    set_stock(db, extra["id"], 3)
    after_stock, expected = stable(lambda: product_api.get("/api/products/stats").json(),
                                   lambda: truth(db))
    assert after_stock == expected


def test_categories_are_sorted_true_counts(product_api, admin, prefix, db):
    make_spread(product_api, admin, prefix, db)
    response, expected = stable(lambda: product_api.get("/api/categories"),
                                lambda: db.execute(CATEGORIES_SQL).fetchall())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["items"] == [{"name": n, "count": c} for n, c in expected]
    assert body["total"] == len(expected)
    names = [item["name"] for item in body["items"]]
    assert prefix in names and prefix + "-hidden" not in names
