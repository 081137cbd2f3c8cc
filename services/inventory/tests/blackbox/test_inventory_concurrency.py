"""The issue's scenario, black-box over gRPC: 200 parallel buyers for 10 units never oversell,
and afterwards the movements table explains every unit."""
from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import grpc


def test_two_hundred_buyers_for_ten_units(api, inventory_pb, db):
    pb, pb_grpc = inventory_pb
    row = api.stock(10)
    pid = row["product_id"]
    prefix = f"rush-{uuid.uuid4().hex[:8]}"
    ids = [f"{prefix}-{i:03d}" for i in range(200)]

    # Real parallel clients: one channel per thread, so calls are not serialized client-side.
    def buy(reservation_id):
        with grpc.insecure_channel(api.grpc_target) as channel:
            stub = pb_grpc.InventoryServiceStub(channel)
            answer = stub.Reserve(pb.ReserveRequest(
                reservation_id=reservation_id, items=[pb.Item(product_id=pid, quantity=1)],
                ttl_seconds=60), timeout=60)
            return reservation_id, answer.state

    with ThreadPoolExecutor(max_workers=200) as pool:
        outcomes = dict(pool.map(buy, ids))
    held = sorted(r for r, state in outcomes.items() if state == pb.RESERVATION_STATE_HELD)
    rejected = [r for r, state in outcomes.items() if state == pb.RESERVATION_STATE_REJECTED]
    assert (len(held), len(rejected)) == (10, 190)
    assert db.execute("SELECT on_hand, reserved FROM stock_items WHERE product_id = %s",
                      (pid,)).fetchone() == (10, 10)
    assert db.execute("SELECT count(*) FROM inventory_movements WHERE product_id = %s AND "
                      "reserved_after > on_hand_after", (pid,)).fetchone()[0] == 0

    with grpc.insecure_channel(api.grpc_target) as channel:
        stub = pb_grpc.InventoryServiceStub(channel)
        commit, release, lapse = held[:5], held[5:8], held[8:]
        for r in commit:
            assert stub.Commit(pb.CommitRequest(reservation_id=r), timeout=10).state == \
                pb.RESERVATION_STATE_COMMITTED
        for r in release:
            assert stub.Release(pb.ReleaseRequest(reservation_id=r), timeout=10).state == \
                pb.RESERVATION_STATE_RELEASED
    # The last two lapse: their expiry moves to the past and the sweeper (every 200 ms) ends them.
    db.execute("UPDATE reservations SET expires_at = now() - interval '1 second' "
               "WHERE id = ANY(%s)", (lapse,))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        states = dict(db.execute("SELECT id, state FROM reservations WHERE id = ANY(%s)",
                                 (lapse,)).fetchall())
        if set(states.values()) == {"expired"}:
            break
        time.sleep(0.1)

    assert db.execute("SELECT on_hand, reserved FROM stock_items WHERE product_id = %s",
                      (pid,)).fetchone() == (5, 0)
    states = dict(db.execute("SELECT id, state FROM reservations WHERE id LIKE %s",
                             (prefix + "-%",)).fetchall())
    expected = {**{r: "rejected" for r in rejected}, **{r: "committed" for r in commit},
                **{r: "released" for r in release}, **{r: "expired" for r in lapse}}
    assert states == expected
    # Each rejected one recorded its shortage: nothing left at the time.
    assert db.execute("SELECT count(*), max(available) FROM reservation_shortages WHERE "
                      "reservation_id LIKE %s", (prefix + "-%",)).fetchone() == (190, 0)

    # The movements explain every unit: per kind ...
    sums = dict((kind, (d_on_hand, d_reserved, n)) for kind, d_on_hand, d_reserved, n in
                db.execute("SELECT kind, sum(delta_on_hand), sum(delta_reserved), count(*) "
                           "FROM inventory_movements WHERE product_id = %s GROUP BY kind",
                           (pid,)).fetchall())
    assert sums == {"created": (10, 0, 1), "reserved": (0, 10, 10), "committed": (-5, -5, 5),
                    "released": (0, -3, 3), "expired": (0, -2, 2)}
    actors = dict(db.execute("SELECT kind, string_agg(DISTINCT actor, ',') FROM "
                             "inventory_movements WHERE product_id = %s GROUP BY kind",
                             (pid,)).fetchall())
    assert actors["expired"] == "system:sweeper" and actors["reserved"] == "rpc"
    # ... and step by step, each row's after-values follow from the one before.
    on_hand = reserved = 0
    for d_on_hand, d_reserved, on_hand_after, reserved_after in db.execute(
            "SELECT delta_on_hand, delta_reserved, on_hand_after, reserved_after FROM "
            "inventory_movements WHERE stock_item_id = %s ORDER BY id", (row["id"],)).fetchall():
        on_hand += d_on_hand
        reserved += d_reserved
        assert (on_hand, reserved) == (on_hand_after, reserved_after)
        assert 0 <= reserved <= on_hand
    assert (on_hand, reserved) == (5, 0)
