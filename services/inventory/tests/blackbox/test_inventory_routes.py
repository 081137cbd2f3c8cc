"""Every route's happy path, the If-Match flow, concurrent deltas, and the product catalog
check (unknown product, catalog down)."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from fo_testkit import problem

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
ROW_FIELDS = {"id", "product_id", "location", "on_hand", "reserved", "available", "quantity",
              "version", "created_at", "updated_at"}


def test_create_returns_the_row_with_location_and_etag(api, admin, db):
    product_id = api.new_product()
    response = api.post("/api/inventory", {"product_id": product_id, "quantity": 7}, admin)
    assert response.status_code == 201, response.text
    row = response.json()
    assert set(row) == ROW_FIELDS
    assert (row["product_id"], row["location"], row["on_hand"], row["reserved"],
            row["available"], row["quantity"], row["version"]) == (product_id, "main", 7, 0, 7, 7, 1)
    assert TIME.fullmatch(row["created_at"]) and TIME.fullmatch(row["updated_at"])
    assert response.headers["Location"] == f"/api/inventory/{row['id']}"
    assert response.headers["ETag"] == '"1"'
    movement = db.execute("SELECT kind, delta_on_hand, delta_reserved, on_hand_after, actor "
                          "FROM inventory_movements WHERE stock_item_id = %s",
                          (row["id"],)).fetchall()
    assert movement == [("created", 7, 0, 7, "user:1")]


def test_one_row_per_product_and_location(api, admin):
    row = api.stock(3)
    duplicate = api.post("/api/inventory", {"product_id": row["product_id"], "quantity": 1}, admin)
    problem(duplicate, 409)
    east = api.post("/api/inventory",
                    {"product_id": row["product_id"], "quantity": 2, "location": "east"}, admin)
    assert east.status_code == 201, east.text
    assert east.json()["location"] == "east"


def test_get_one_row_with_its_etag(api, user):
    row = api.stock(4)
    response = api.get(f"/api/inventory/{row['id']}", user)
    assert response.status_code == 200
    assert response.json() == row
    assert response.headers["ETag"] == '"1"'
    problem(api.get("/api/inventory/987654321", user), 404)


def test_list_is_paged(api, user):
    for quantity in (1, 2, 3):
        api.stock(quantity)
    page = api.get("/api/inventory?limit=2&offset=1", user).json()
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["limit"], page["offset"], len(page["items"])) == (2, 1, 2)
    assert page["total"] >= 3
    assert set(page["items"][0]) == ROW_FIELDS
    ids = [item["id"] for item in page["items"]]
    assert ids == sorted(ids)
    default = api.get("/api/inventory", user).json()
    assert (default["limit"], default["offset"]) == (50, 0)
    assert api.get("/api/inventory?limit=1000", user).json()["limit"] == 100
    assert api.get(f"/api/inventory?offset={page['total']}", user).json()["items"] == []


def test_product_view_sums_locations(api, user):
    main = api.stock(5)
    product_id = main["product_id"]
    api.stock(3, product_id=product_id, location="east")
    view = api.get(f"/api/inventory/product/{product_id}", user).json()
    assert (view["product_id"], view["on_hand"], view["reserved"], view["available"]) == (
        product_id, 8, 0, 8)
    assert [row["location"] for row in view["locations"]] == ["east", "main"]
    problem(api.get(f"/api/inventory/product/{api.new_product()}", user), 404)


def test_check_availability(api, user):
    row = api.stock(5)
    pid = row["product_id"]
    assert api.get(f"/api/inventory/check/{pid}", user).json() == {
        "product_id": pid, "available": 5, "requested": 1, "in_stock": True}
    assert api.get(f"/api/inventory/check/{pid}?quantity=5", user).json()["in_stock"] is True
    assert api.get(f"/api/inventory/check/{pid}?quantity=6", user).json()["in_stock"] is False
    assert api.get("/api/inventory/check/987654321?quantity=1", user).json() == {
        "product_id": 987654321, "available": 0, "requested": 1, "in_stock": False}


def test_relative_changes_need_no_if_match(api, admin, db):
    row = api.stock(5)
    pid = row["product_id"]
    response = api.patch(f"/api/inventory/{pid}/quantity", {"delta": 3, "reason": "delivery"},
                         admin)
    assert response.status_code == 200, response.text
    assert (response.json()["on_hand"], response.json()["version"]) == (8, 2)
    assert response.headers["ETag"] == '"2"'
    down = api.patch(f"/api/inventory/{pid}/quantity", {"delta": -8}, admin)
    assert down.json()["on_hand"] == 0
    below = problem(api.patch(f"/api/inventory/{pid}/quantity", {"delta": -1}, admin), 409)
    assert "available is 0" in below["detail"]
    moves = db.execute("SELECT kind, delta_on_hand, on_hand_after, reason FROM "
                       "inventory_movements WHERE stock_item_id = %s ORDER BY id",
                       (row["id"],)).fetchall()
    assert moves == [("created", 5, 5, ""), ("adjusted", 3, 8, "delivery"),
                     ("adjusted", -8, 0, "")]


def test_if_match_flow(api, admin, user):
    row = api.stock(5)
    pid = row["product_id"]
    url = f"/api/inventory/{pid}/quantity"
    problem(api.patch(url, {"quantity": 9}, admin), 428)
    stale = problem(api.patch(url, {"quantity": 9}, admin, headers={"If-Match": '"7"'}), 412)
    assert '"1"' in stale["detail"]
    etag = api.get(f"/api/inventory/{row['id']}", user).headers["ETag"]
    ok = api.patch(url, {"quantity": 9, "reason": "recount"}, admin, headers={"If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.json()["on_hand"] == 9
    assert ok.headers["ETag"] == '"2"' != etag
    # The old tag is stale now.
    problem(api.patch(url, {"quantity": 1}, admin, headers={"If-Match": etag}), 412)
    again = api.patch(url, {"quantity": 1}, admin, headers={"If-Match": ok.headers["ETag"]})
    assert again.json()["on_hand"] == 1


def test_absolute_below_reserved_is_a_conflict_naming_available(api, admin, stub, inventory_pb):
    pb, _ = inventory_pb
    row = api.stock(5)
    pid = row["product_id"]
    held = stub.Reserve(pb.ReserveRequest(reservation_id=f"below-{pid}",
                                          items=[pb.Item(product_id=pid, quantity=4)]), timeout=10)
    assert held.state == pb.RESERVATION_STATE_HELD
    body = problem(api.patch(f"/api/inventory/{pid}/quantity", {"quantity": 3}, admin,
                             headers={"If-Match": '"2"'}), 409)
    assert "available is 1 unit" in body["detail"] and "4 units reserved" in body["detail"]


def test_several_locations_need_one_named(api, admin):
    row = api.stock(5)
    pid = row["product_id"]
    api.stock(2, product_id=pid, location="east")
    body = problem(api.patch(f"/api/inventory/{pid}/quantity", {"delta": 1}, admin), 422)
    assert "location" in body["detail"]
    assert [e["field"] for e in body["errors"]] == ["location"]
    east = api.patch(f"/api/inventory/{pid}/quantity", {"delta": 1, "location": "east"}, admin)
    assert (east.json()["location"], east.json()["on_hand"]) == ("east", 3)
    problem(api.patch(f"/api/inventory/{pid}/quantity", {"delta": 1, "location": "west"}, admin),
            404)


def test_patch_for_a_product_without_stock_is_not_found(api, admin):
    problem(api.patch(f"/api/inventory/{api.new_product()}/quantity", {"delta": 1}, admin), 404)


def test_fifty_parallel_deltas_all_count(api, admin, db):
    row = api.stock(0)
    pid = row["product_id"]

    def add_one(_):
        return api.patch(f"/api/inventory/{pid}/quantity", {"delta": 1}, admin).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(add_one, range(50)))
    assert statuses == [200] * 50
    final = api.get(f"/api/inventory/{row['id']}", admin).json()
    assert (final["on_hand"], final["version"]) == (50, 51)
    count, total = db.execute("SELECT count(*), sum(delta_on_hand) FROM inventory_movements "
                              "WHERE stock_item_id = %s AND kind = 'adjusted'",
                              (row["id"],)).fetchone()
    assert (count, total) == (50, 50)


def test_unknown_product_is_unprocessable(api, admin):
    body = problem(api.post("/api/inventory", {"product_id": 987654321, "quantity": 1}, admin),
                   422)
    assert "product_id" in body["detail"]
    assert [e["field"] for e in body["errors"]] == ["product_id"]


def test_deleted_product_is_unprocessable(api, admin):
    pid = api.new_product()
    deleted = api.product.delete(f"/api/products/{pid}", api.token("admin"))
    assert deleted.status_code in (200, 204), deleted.text
    problem(api.post("/api/inventory", {"product_id": pid, "quantity": 1}, admin), 422)


def test_catalog_down_is_503_and_writes_nothing(keys, admin, api, db, launcher):
    _, _, public = keys
    dead = f"127.0.0.1:{_dead_port()}"
    service, base, _ = launcher.start_inventory(public, dead, PRODUCT_GRPC_TIMEOUT_MS="500")
    try:
        from fo_testkit import HttpApi  # noqa: PLC0415

        other = HttpApi(base, service)
        pid = api.new_product()
        problem(other.post("/api/inventory", {"product_id": pid, "quantity": 1}, admin), 503)
        assert db.execute("SELECT count(*) FROM stock_items WHERE product_id = %s",
                          (pid,)).fetchone()[0] == 0
        # Reads do not need the catalog.
        assert other.get("/api/inventory?limit=1", admin).status_code == 200
    finally:
        launcher.stop_cleanly(service, "second inventory service")


def test_product_service_stopped_is_503(keys, admin, db, launcher):
    """A product instance of our own, stopped mid-suite."""
    from fo_testkit import HttpApi  # noqa: PLC0415

    tmp, key, public = keys
    product, product_base, product_grpc = launcher.start_product(tmp, public)
    service, base, grpc_target = launcher.start_inventory(public, product_grpc)
    try:
        api = launcher.InventoryApi(base, grpc_target, key, service, HttpApi(product_base, product), "")
        pid = api.new_product()
        assert api.stock(1, product_id=pid)["on_hand"] == 1
        launcher.stop_cleanly(product, "own product service")
        pid2 = 987654000 + pid % 1000
        problem(api.post("/api/inventory", {"product_id": pid, "quantity": 1,
                                            "location": "east"}, admin), 503)
        problem(api.post("/api/inventory", {"product_id": pid2, "quantity": 1}, admin), 503)
        assert db.execute("SELECT count(*) FROM stock_items WHERE product_id = %s "
                          "AND location = 'east'", (pid,)).fetchone()[0] == 0
    finally:
        launcher.stop_cleanly(service, "inventory service")
        if product.process.poll() is None:
            product.stop()


def _dead_port() -> int:
    from fo_testkit import free_port  # noqa: PLC0415

    return free_port()  # nothing listens there once the probe socket closed


@pytest.mark.parametrize("path", ["/livez", "/readyz", "/health", "/metrics"])
def test_probes_are_public(api, path):
    assert api.get(path).status_code == 200


def test_metrics_count_reservations_by_outcome(api):
    text = api.get("/metrics").text
    for outcome in ("held", "rejected", "replayed", "committed", "released", "expired"):
        assert f'inventory_reservations_total{{outcome="{outcome}"}}' in text
