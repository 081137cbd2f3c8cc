"""Reading payments (own, by id, admin list with filters) and the admin refund."""
from __future__ import annotations

from fo_testkit import problem


def test_my_payments_are_paged_newest_first(api):
    user_id, token = api.new_user()
    product = api.new_product(stock=10)
    ids = [api.buy(token, product).json()["id"] for _ in range(3)]
    page = api.get("/api/payments/my?limit=2", token).json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    assert [p["id"] for p in page["items"]] == ids[::-1][:2]
    rest = api.get("/api/payments/my?limit=2&offset=2", token).json()
    assert [p["id"] for p in rest["items"]] == [ids[0]]
    assert all(p["user_id"] == user_id for p in page["items"] + rest["items"])
    _, stranger = api.new_user()
    assert api.get("/api/payments/my", stranger).json() == {"items": [], "total": 0,
                                                            "limit": 50, "offset": 0}


def test_a_payment_is_visible_to_its_owner_and_admins_only(api, admin):
    _, token = api.new_user()
    _, stranger = api.new_user()
    payment = api.buy(token, api.new_product(stock=1)).json()
    path = f"/api/payments/{payment['id']}"
    assert api.get(path, token).json() == payment
    assert api.get(path, admin).json() == payment
    problem(api.get(path, stranger), 404)  # not 403: its existence is not revealed
    problem(api.get("/api/payments/0190b8a3-4c5d-7e6f-8a9b-0c1d2e3f4a5b", token), 404)


def test_admins_list_all_payments_with_filters(api, admin):
    user_id, token = api.new_user()
    product = api.new_product(stock=10)
    api.buy(token, product)
    api.buy(token, product, method="test_decline")
    mine = api.get(f"/api/payments?user_id={user_id}", admin).json()
    assert mine["total"] == 2
    assert [p["status"] for p in mine["items"]] == ["failed", "completed"]
    failed = api.get(f"/api/payments?user_id={user_id}&status=failed", admin).json()
    assert [p["failure_reason"] for p in failed["items"]] == ["declined"]
    everyone = api.get("/api/payments?status=completed&limit=1", admin).json()
    assert everyone["limit"] == 1 and len(everyone["items"]) == 1
    assert everyone["total"] >= 1


def test_an_admin_refund_moves_completed_to_refunded_once(api, admin, paydb):
    _, token = api.new_user()
    payment = api.buy(token, api.new_product(stock=2)).json()
    path = f"/api/payments/{payment['id']}/refund"
    problem(api.post(path, None, token), 403)
    refunded = api.post(path, None, admin)
    assert refunded.status_code == 200, refunded.text
    body = refunded.json()
    assert body["status"] == "refunded" and body["transaction_id"] == payment["transaction_id"]
    assert api.get(f"/api/payments/{payment['id']}", token).json()["status"] == "refunded"
    types = [t for (t,) in paydb.execute("SELECT type FROM outbox WHERE key = %s ORDER BY seq",
                                         (payment["id"],)).fetchall()]
    assert types == ["fo.events.v1.ProductPurchased", "fo.events.v1.PaymentRefunded"]
    assert paydb.execute("SELECT status FROM provider_charges WHERE payment_id = %s",
                         (payment["id"],)).fetchone() == ("refunded",)
    problem(api.post(path, None, admin), 409)


def test_only_completed_payments_can_be_refunded(api, admin):
    _, token = api.new_user()
    product = api.new_product(stock=2)
    api.buy(token, product, method="test_decline")
    failed = api.get("/api/payments/my", token).json()["items"][0]
    problem(api.post(f"/api/payments/{failed['id']}/refund", None, admin), 409)
    problem(api.post("/api/payments/0190b8a3-4c5d-7e6f-8a9b-0c1d2e3f4a5b/refund", None, admin),
            404)
