"""product.v1.ProductService over gRPC, and the standard gRPC health service."""
from __future__ import annotations

import grpc
import pytest
from product_support import set_stock
from grpc_health.v1 import health_pb2, health_pb2_grpc


@pytest.fixture(scope="module")
def channel(product_api):
    with grpc.insecure_channel(product_api.grpc_target) as ch:
        yield ch


@pytest.fixture(scope="module")
def stub(channel, product_pb):
    _, product_pb2_grpc = product_pb
    return product_pb2_grpc.ProductServiceStub(channel)


def code_of(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as error:
        call()
    return error.value.code()


def test_get_product_returns_every_field(product_api, admin, prefix, db, product_pb, stub):
    pb2, _ = product_pb
    made = product_api.create(admin, prefix, description="desc", currency="EUR", price=1234)
    set_stock(db, made["id"], 8)
    made = product_api.get(f"/api/products/{made['id']}").json()
    got = stub.GetProduct(pb2.GetProductRequest(product_id=made["id"]), timeout=5).product
    assert {f: getattr(got, f) for f in made} == made


def test_get_product_returns_inactive_but_not_deleted(product_api, admin, prefix, product_pb,
                                                      stub):
    pb2, _ = product_pb
    hidden = product_api.create(admin, prefix, 1, is_active=False)
    got = stub.GetProduct(pb2.GetProductRequest(product_id=hidden["id"]), timeout=5).product
    assert got.id == hidden["id"] and got.is_active is False
    gone = product_api.create(admin, prefix, 2)
    product_api.delete(f"/api/products/{gone['id']}", admin)
    assert code_of(lambda: stub.GetProduct(pb2.GetProductRequest(product_id=gone["id"]),
                                           timeout=5)) == grpc.StatusCode.NOT_FOUND
    assert code_of(lambda: stub.GetProduct(pb2.GetProductRequest(product_id=999999999999),
                                           timeout=5)) == grpc.StatusCode.NOT_FOUND
    for bad in (0, -3):
        assert code_of(lambda: stub.GetProduct(pb2.GetProductRequest(product_id=bad),
                                               timeout=5)) == grpc.StatusCode.INVALID_ARGUMENT


def test_get_products_leaves_out_unknown_and_deleted(product_api, admin, prefix, product_pb,
                                                     stub):
    pb2, _ = product_pb
    a, b, c = (product_api.create(admin, prefix, i) for i in range(3))
    product_api.patch(f"/api/products/{b['id']}", {"is_active": False}, admin)
    product_api.delete(f"/api/products/{c['id']}", admin)
    answer = stub.GetProducts(pb2.GetProductsRequest(
        product_ids=[c["id"], b["id"], a["id"], 999999999999, a["id"]]), timeout=5)
    assert [p.id for p in answer.products] == sorted([a["id"], b["id"]])
    assert list(stub.GetProducts(pb2.GetProductsRequest(product_ids=[]), timeout=5).products) == []


def test_get_products_limits_the_batch(product_pb, stub):
    pb2, _ = product_pb
    stub.GetProducts(pb2.GetProductsRequest(product_ids=list(range(1, 101))), timeout=5)
    assert code_of(lambda: stub.GetProducts(
        pb2.GetProductsRequest(product_ids=list(range(1, 102))), timeout=5)) == \
        grpc.StatusCode.INVALID_ARGUMENT
    assert code_of(lambda: stub.GetProducts(pb2.GetProductsRequest(product_ids=[1, 0]),
                                            timeout=5)) == grpc.StatusCode.INVALID_ARGUMENT


def test_list_products_matches_the_http_list(product_api, admin, prefix, db, product_pb, stub):
    pb2, _ = product_pb
    prices = [500, 100, 300, 200]
    made = [product_api.create(admin, prefix, i, price=p) for i, p in enumerate(prices)]
    product_api.patch(f"/api/products/{made[3]['id']}", {"is_active": False}, admin)
    set_stock(db, made[2]["id"], 4)

    answer = stub.ListProducts(pb2.ListProductsRequest(category=prefix, sort="price"), timeout=5)
    assert [p.id for p in answer.products] == [made[i]["id"] for i in (1, 2, 0)]
    assert (answer.total, answer.limit, answer.offset) == (3, 50, 0)
    http = product_api.get("/api/products", params={"category": prefix, "sort": "price"}).json()
    assert [p.id for p in answer.products] == [p["id"] for p in http["items"]]

    answer = stub.ListProducts(pb2.ListProductsRequest(category=prefix, sort="price",
                                                       include_inactive=True), timeout=5)
    assert [p.id for p in answer.products] == [made[i]["id"] for i in (1, 3, 2, 0)]
    answer = stub.ListProducts(pb2.ListProductsRequest(category=prefix, min_price=200,
                                                       max_price=400, include_inactive=True),
                               timeout=5)
    assert [p.id for p in answer.products] == [made[2]["id"], made[3]["id"]]
    answer = stub.ListProducts(pb2.ListProductsRequest(category=prefix, in_stock=True), timeout=5)
    assert [p.id for p in answer.products] == [made[2]["id"]]
    answer = stub.ListProducts(pb2.ListProductsRequest(q=prefix + "-1"), timeout=5)
    assert [p.id for p in answer.products] == [made[1]["id"]]
    answer = stub.ListProducts(pb2.ListProductsRequest(category=prefix, sort="-price", limit=1,
                                                       offset=1), timeout=5)
    assert [p.id for p in answer.products] == [made[2]["id"]]
    assert (answer.total, answer.limit, answer.offset) == (3, 1, 1)
    capped = stub.ListProducts(pb2.ListProductsRequest(category=prefix, limit=1000), timeout=5)
    assert capped.limit == 100


@pytest.mark.parametrize("request_fields", [
    {"sort": "id"}, {"sort": "drop"}, {"limit": -1}, {"offset": -1},
    {"min_price": 10, "max_price": 5}, {"min_price": -1}, {"q": "q" * 101},
])
def test_list_products_refuses_bad_arguments(product_pb, stub, request_fields):
    pb2, _ = product_pb
    assert code_of(lambda: stub.ListProducts(pb2.ListProductsRequest(**request_fields),
                                             timeout=5)) == grpc.StatusCode.INVALID_ARGUMENT


def test_health_service_reports_serving(channel):
    health = health_pb2_grpc.HealthStub(channel)
    answer = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING
