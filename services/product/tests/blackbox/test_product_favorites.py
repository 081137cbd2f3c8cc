"""A signed-in user's favorites: idempotent add/remove, their own list only, live active
products only."""
from __future__ import annotations

from fo_testkit import problem


def favorite_ids(product_api, token, **params) -> list[int]:
    response = product_api.get("/api/products/favorites", token, params=params)
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


def test_add_list_remove(product_api, admin, prefix, user):
    a, b, c = (product_api.create(admin, prefix, i)["id"] for i in range(3))
    assert favorite_ids(product_api, user) == []
    for pid in (a, b, c, a):  # adding twice is fine
        response = product_api.post(f"/api/products/{pid}/favorite", None, user)
        assert response.status_code == 204, response.text
        assert response.text == ""
    assert sorted(favorite_ids(product_api, user)) == sorted([a, b, c])
    assert product_api.delete(f"/api/products/{b}/favorite", user).status_code == 204
    assert product_api.delete(f"/api/products/{b}/favorite", user).status_code == 204  # again
    assert sorted(favorite_ids(product_api, user)) == sorted([a, c])


def test_paging_of_favorites(product_api, admin, prefix, user):
    made = [product_api.create(admin, prefix, i)["id"] for i in range(5)]
    for pid in made:
        product_api.post(f"/api/products/{pid}/favorite", None, user)
    page = product_api.get("/api/products/favorites", user, params={"limit": 2, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)
    assert len(page["items"]) == 2
    everything = favorite_ids(product_api, user)
    assert everything[1:3] == [p["id"] for p in page["items"]]
    assert everything == made[::-1]  # most recently added first


def test_each_user_sees_only_their_own(product_api, admin, prefix):
    ann, bob = product_api.token(), product_api.token()
    pid = product_api.create(admin, prefix)["id"]
    product_api.post(f"/api/products/{pid}/favorite", None, ann)
    assert favorite_ids(product_api, ann) == [pid]
    assert favorite_ids(product_api, bob) == []
    product_api.delete(f"/api/products/{pid}/favorite", bob)  # not theirs: nothing happens
    assert favorite_ids(product_api, ann) == [pid]


def test_deleted_and_deactivated_products_drop_out(product_api, admin, prefix, user):
    keep, gone, hidden = (product_api.create(admin, prefix, i)["id"] for i in range(3))
    for pid in (keep, gone, hidden):
        product_api.post(f"/api/products/{pid}/favorite", None, user)
    product_api.delete(f"/api/products/{gone}", admin)
    product_api.patch(f"/api/products/{hidden}", {"is_active": False}, admin)
    response = product_api.get("/api/products/favorites", user).json()
    assert [p["id"] for p in response["items"]] == [keep]
    assert response["total"] == 1


def test_unknown_deleted_or_inactive_products_cannot_be_favorited(product_api, admin, prefix,
                                                                   user):
    problem(product_api.post("/api/products/999999999999/favorite", None, user), 404)
    gone = product_api.create(admin, prefix, 1)["id"]
    product_api.delete(f"/api/products/{gone}", admin)
    problem(product_api.post(f"/api/products/{gone}/favorite", None, user), 404)
    hidden = product_api.create(admin, prefix, 2, is_active=False)["id"]
    problem(product_api.post(f"/api/products/{hidden}/favorite", None, user), 404)
    # removing something that was never there is still fine
    assert product_api.delete("/api/products/999999999999/favorite", user).status_code == 204
