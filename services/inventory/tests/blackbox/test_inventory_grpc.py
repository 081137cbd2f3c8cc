"""inventory.v1.InventoryService: availability, and the reservation protocol's outcomes,
idempotency and error statuses."""
from __future__ import annotations

import re
import time
import uuid

import grpc
import pytest

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def rid(label="r") -> str:
    return f"{label}-{uuid.uuid4().hex[:16]}"


@pytest.fixture(scope="module")
def pb(inventory_pb):
    return inventory_pb[0]


def reserve(stub, pb, reservation_id, lines, ttl=0):
    items = [pb.Item(product_id=p, quantity=q) for p, q in lines]
    return stub.Reserve(pb.ReserveRequest(reservation_id=reservation_id, items=items,
                                          ttl_seconds=ttl), timeout=10)


def code_of(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as error:
        call()
    return error.value.code()


def stock_of(db, product_id):
    return db.execute("SELECT on_hand, reserved FROM stock_items WHERE product_id = %s",
                      (product_id,)).fetchone()


def test_check_availability(api, stub, pb):
    a, b = api.stock(5), api.stock(0)
    answer = stub.CheckAvailability(pb.CheckAvailabilityRequest(items=[
        pb.Item(product_id=a["product_id"], quantity=5),
        pb.Item(product_id=b["product_id"], quantity=1),
        pb.Item(product_id=987654321, quantity=1)]), timeout=5)
    assert not answer.all_in_stock
    assert [(i.product_id, i.requested, i.available, i.in_stock) for i in answer.items] == [
        (a["product_id"], 5, 5, True), (b["product_id"], 1, 0, False), (987654321, 1, 0, False)]
    ok = stub.CheckAvailability(pb.CheckAvailabilityRequest(
        items=[pb.Item(product_id=a["product_id"], quantity=1)]), timeout=5)
    assert ok.all_in_stock


@pytest.mark.parametrize("items", [[], [(0, 1)], [(1, 0)], [(1, -1)], [(1, 1_000_001)],
                                   [(i + 1, 1) for i in range(101)]])
def test_check_availability_bad_items(stub, pb, items):
    request = pb.CheckAvailabilityRequest(items=[pb.Item(product_id=p, quantity=q)
                                                 for p, q in items])
    assert code_of(lambda: stub.CheckAvailability(request, timeout=5)) == \
        grpc.StatusCode.INVALID_ARGUMENT


def test_reserve_holds_all_lines_and_replays(api, stub, pb, db):
    a, b = api.stock(5), api.stock(3)
    pa, pb_ = a["product_id"], b["product_id"]
    r = rid()
    held = reserve(stub, pb, r, [(pb_, 3), (pa, 2)], ttl=60)
    assert (held.reservation_id, held.state) == (r, pb.RESERVATION_STATE_HELD)
    assert TIME.fullmatch(held.expires_at)
    assert list(held.shortages) == []
    assert stock_of(db, pa) == (5, 2) and stock_of(db, pb_) == (3, 3)
    again = reserve(stub, pb, r, [(pa, 2), (pb_, 3)], ttl=999)
    assert (again.state, again.expires_at) == (pb.RESERVATION_STATE_HELD, held.expires_at)
    assert stock_of(db, pa) == (5, 2)
    assert db.execute("SELECT state FROM reservations WHERE id = %s", (r,)).fetchone() == ("held",)


def test_default_ttl_is_used_for_zero(api, stub, pb, db):
    row = api.stock(1)
    r = rid()
    reserve(stub, pb, r, [(row["product_id"], 1)], ttl=0)
    seconds = db.execute("SELECT extract(epoch FROM expires_at - created_at) FROM reservations "
                         "WHERE id = %s", (r,)).fetchone()[0]
    assert 899 <= float(seconds) <= 901


def test_shortage_rejects_everything_and_replays(api, stub, pb, db):
    a, b = api.stock(5), api.stock(1)
    r = rid()
    rejected = reserve(stub, pb, r, [(a["product_id"], 2), (b["product_id"], 3)])
    assert rejected.state == pb.RESERVATION_STATE_REJECTED
    assert rejected.expires_at == ""
    assert [(s.product_id, s.requested, s.available, s.in_stock) for s in rejected.shortages] == [
        (b["product_id"], 3, 1, False)]
    assert stock_of(db, a["product_id"]) == (5, 0)
    again = reserve(stub, pb, r, [(a["product_id"], 2), (b["product_id"], 3)])
    assert again.state == pb.RESERVATION_STATE_REJECTED
    assert list(again.shortages) == list(rejected.shortages)
    # Still rejected even though stock would now suffice: a repeat answers the first outcome.
    api.patch(f"/api/inventory/{b['product_id']}/quantity", {"delta": 10}, api.token("admin"))
    assert reserve(stub, pb, r, [(a["product_id"], 2), (b["product_id"], 3)]).state == \
        pb.RESERVATION_STATE_REJECTED


def test_reusing_an_id_for_other_items_is_failed_precondition(api, stub, pb):
    row = api.stock(5)
    r = rid()
    reserve(stub, pb, r, [(row["product_id"], 1)])
    assert code_of(lambda: reserve(stub, pb, r, [(row["product_id"], 2)])) == \
        grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.parametrize("reservation_id,items,ttl", [
    ("", [(1, 1)], 0),
    ("x" * 65, [(1, 1)], 0),
    ("has space", [(1, 1)], 0),
    ("semi;colon", [(1, 1)], 0),
    ("ok", [], 0),
    ("ok", [(1, 0)], 0),
    ("ok", [(1, 1_000_001)], 0),
    ("ok", [(0, 1)], 0),
    ("ok", [(1, 1), (1, 2)], 0),
    ("ok", [(i + 1, 1) for i in range(101)], 0),
    ("ok", [(1, 1)], -1),
    ("ok", [(1, 1)], 3601),
])
def test_reserve_bad_requests(stub, pb, reservation_id, items, ttl):
    assert code_of(lambda: reserve(stub, pb, reservation_id, items, ttl)) == \
        grpc.StatusCode.INVALID_ARGUMENT


def test_commit_is_idempotent_and_takes_units_out(api, stub, pb, db):
    row = api.stock(5)
    pid = row["product_id"]
    r = rid()
    reserve(stub, pb, r, [(pid, 2)])
    for _ in range(2):
        answer = stub.Commit(pb.CommitRequest(reservation_id=r), timeout=5)
        assert (answer.reservation_id, answer.state) == (r, pb.RESERVATION_STATE_COMMITTED)
    assert stock_of(db, pid) == (3, 0)
    assert code_of(lambda: stub.Release(pb.ReleaseRequest(reservation_id=r), timeout=5)) == \
        grpc.StatusCode.FAILED_PRECONDITION
    kinds = db.execute("SELECT kind, delta_on_hand, delta_reserved FROM inventory_movements "
                       "WHERE reservation_id = %s ORDER BY id", (r,)).fetchall()
    assert kinds == [("reserved", 0, 2), ("committed", -2, -2)]


def test_release_is_idempotent_and_gives_units_back(api, stub, pb, db):
    row = api.stock(5)
    pid = row["product_id"]
    r = rid()
    reserve(stub, pb, r, [(pid, 2)])
    for _ in range(2):
        answer = stub.Release(pb.ReleaseRequest(reservation_id=r), timeout=5)
        assert answer.state == pb.RESERVATION_STATE_RELEASED
    assert stock_of(db, pid) == (5, 0)
    assert code_of(lambda: stub.Commit(pb.CommitRequest(reservation_id=r), timeout=5)) == \
        grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.parametrize("call", ["Commit", "Release"])
def test_unknown_reservations_are_not_found(stub, pb, call):
    request = (pb.CommitRequest if call == "Commit" else pb.ReleaseRequest)(
        reservation_id=rid("unknown"))
    assert code_of(lambda: getattr(stub, call)(request, timeout=5)) == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("call", ["Commit", "Release"])
@pytest.mark.parametrize("bad", ["", "x" * 65, "a/b"])
def test_bad_reservation_ids_are_invalid(stub, pb, call, bad):
    request = (pb.CommitRequest if call == "Commit" else pb.ReleaseRequest)(reservation_id=bad)
    assert code_of(lambda: getattr(stub, call)(request, timeout=5)) == \
        grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("call", ["Commit", "Release"])
def test_rejected_reservations_cannot_move(api, stub, pb, call):
    row = api.stock(1)
    r = rid()
    assert reserve(stub, pb, r, [(row["product_id"], 2)]).state == pb.RESERVATION_STATE_REJECTED
    request = (pb.CommitRequest if call == "Commit" else pb.ReleaseRequest)(reservation_id=r)
    assert code_of(lambda: getattr(stub, call)(request, timeout=5)) == \
        grpc.StatusCode.FAILED_PRECONDITION


def test_the_sweeper_expires_holds(api, stub, pb, db):
    row = api.stock(4)
    pid = row["product_id"]
    r = rid()
    reserve(stub, pb, r, [(pid, 3)], ttl=1)
    assert stock_of(db, pid) == (4, 3)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and stock_of(db, pid) != (4, 0):
        time.sleep(0.1)
    assert stock_of(db, pid) == (4, 0)
    assert db.execute("SELECT state FROM reservations WHERE id = %s", (r,)).fetchone() == \
        ("expired",)
    moves = db.execute("SELECT kind, delta_reserved, actor FROM inventory_movements "
                       "WHERE reservation_id = %s ORDER BY id", (r,)).fetchall()
    assert moves == [("reserved", 3, "rpc"), ("expired", -3, "system:sweeper")]
    for call in ("Commit", "Release"):
        request = (pb.CommitRequest if call == "Commit" else pb.ReleaseRequest)(reservation_id=r)
        assert code_of(lambda: getattr(stub, call)(request, timeout=5)) == \
            grpc.StatusCode.FAILED_PRECONDITION
    # A repeat of the Reserve reports what became of it.
    assert reserve(stub, pb, r, [(pid, 3)], ttl=1).state == pb.RESERVATION_STATE_EXPIRED


def test_commit_of_a_lapsed_hold_expires_it_on_the_spot(api, stub, pb, db):
    row = api.stock(4)
    pid = row["product_id"]
    r = rid()
    reserve(stub, pb, r, [(pid, 2)], ttl=60)
    # Lapsed, but the sweeper has not seen it yet: hold the row lock-free path by moving the
    # expiry into the past and committing at once.
    db.execute("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = %s",
               (r,))
    with pytest.raises(grpc.RpcError) as error:
        stub.Commit(pb.CommitRequest(reservation_id=r), timeout=5)
    assert error.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "expired" in error.value.details()
    assert stock_of(db, pid) == (4, 0)
    assert db.execute("SELECT state FROM reservations WHERE id = %s", (r,)).fetchone() == \
        ("expired",)


def test_metrics_counted_the_outcomes(api):
    text = api.get("/metrics").text

    def value(outcome):
        match = re.search(rf'inventory_reservations_total\{{outcome="{outcome}"\}} (\S+)', text)
        return float(match.group(1))

    for outcome in ("held", "rejected", "replayed", "committed", "released", "expired"):
        assert value(outcome) >= 1, outcome
