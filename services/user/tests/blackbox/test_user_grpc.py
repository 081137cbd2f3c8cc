"""user.v1.UserService over gRPC, and the standard gRPC health service."""
from __future__ import annotations

import re

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc


@pytest.fixture(scope="module")
def channel(user_api):
    with grpc.insecure_channel(user_api.grpc_target) as ch:
        yield ch


@pytest.fixture(scope="module")
def stub(channel, user_pb):
    _, user_pb2_grpc = user_pb
    return user_pb2_grpc.UserServiceStub(channel)


def test_validate_an_active_user(user_api, user_pb, stub):
    user_pb2, _ = user_pb
    user = user_api.register()
    answer = stub.ValidateUser(user_pb2.ValidateUserRequest(user_id=user["id"]), timeout=5)
    assert (answer.exists, answer.is_active, answer.role) == (True, True, "user")


def test_validate_a_deactivated_admin(user_api, admin, user_pb, stub):
    user_pb2, _ = user_pb
    user = user_api.register()
    user_api.put(f"/admin/users/{user['id']}/role", {"role": "admin"}, admin)
    user_api.put(f"/admin/users/{user['id']}/active", {"is_active": False}, admin)
    answer = stub.ValidateUser(user_pb2.ValidateUserRequest(user_id=user["id"]), timeout=5)
    assert (answer.exists, answer.is_active, answer.role) == (True, False, "admin")


def test_validate_a_missing_user_is_not_an_error(user_pb, stub):
    user_pb2, _ = user_pb
    answer = stub.ValidateUser(user_pb2.ValidateUserRequest(user_id=987654321), timeout=5)
    assert (answer.exists, answer.is_active, answer.role) == (False, False, "")


def test_get_user(user_api, user_pb, stub):
    user_pb2, _ = user_pb
    user = user_api.register()
    got = stub.GetUser(user_pb2.GetUserRequest(user_id=user["id"]), timeout=5).user
    assert (got.id, got.username, got.email, got.full_name, got.role, got.is_active,
            got.created_at, got.updated_at) == (
        user["id"], user["username"], user["email"], user["full_name"], user["role"],
        user["is_active"], user["created_at"], user["updated_at"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", got.created_at)


def test_get_missing_user_is_not_found(user_pb, stub):
    user_pb2, _ = user_pb
    with pytest.raises(grpc.RpcError) as error:
        stub.GetUser(user_pb2.GetUserRequest(user_id=987654321), timeout=5)
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


def test_get_users_returns_known_ids_only(user_api, user_pb, stub):
    user_pb2, _ = user_pb
    a, b = user_api.register(), user_api.register()
    ids = [b["id"], 987654321, a["id"], a["id"]]
    users = stub.GetUsers(user_pb2.GetUsersRequest(user_ids=ids), timeout=5).users
    assert sorted(u.id for u in users) == sorted([a["id"], b["id"]])
    assert {u.username for u in users} == {a["username"], b["username"]}
    empty = stub.GetUsers(user_pb2.GetUsersRequest(user_ids=[]), timeout=5)
    assert list(empty.users) == []


@pytest.mark.parametrize("call", ["ValidateUser", "GetUser", "GetUsers"])
@pytest.mark.parametrize("bad_id", [0, -1])
def test_non_positive_ids_are_invalid_arguments(user_pb, stub, call, bad_id):
    user_pb2, _ = user_pb
    request = {
        "ValidateUser": lambda: user_pb2.ValidateUserRequest(user_id=bad_id),
        "GetUser": lambda: user_pb2.GetUserRequest(user_id=bad_id),
        "GetUsers": lambda: user_pb2.GetUsersRequest(user_ids=[1, bad_id]),
    }[call]()
    with pytest.raises(grpc.RpcError) as error:
        getattr(stub, call)(request, timeout=5)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_more_than_one_hundred_ids_is_invalid(user_pb, stub):
    user_pb2, _ = user_pb
    assert stub.GetUsers(user_pb2.GetUsersRequest(user_ids=list(range(1, 101))), timeout=5)
    with pytest.raises(grpc.RpcError) as error:
        stub.GetUsers(user_pb2.GetUsersRequest(user_ids=list(range(1, 102))), timeout=5)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_tiny_deadlines_never_crash_the_service(user_api, user_pb, stub):
    user_pb2, _ = user_pb
    user = user_api.register()
    for _ in range(20):
        try:
            stub.GetUser(user_pb2.GetUserRequest(user_id=user["id"]), timeout=0.001)
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.DEADLINE_EXCEEDED, e
    # Still alive and answering normally.
    answer = stub.ValidateUser(user_pb2.ValidateUserRequest(user_id=user["id"]), timeout=5)
    assert answer.exists
    assert user_api.service.process.poll() is None


def test_health_service_reports_serving(channel):
    health = health_pb2_grpc.HealthStub(channel)
    answer = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING
