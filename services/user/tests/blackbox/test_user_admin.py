"""The /admin routes: who may call them, listing and filtering, true counts, and the rules that
keep at least one active admin."""
from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from fo_testkit import field_errors, problem


def fresh_name(prefix: str = "a") -> str:
    return prefix + uuid.uuid4().hex[:12]


def new_account(name: str | None = None, **extra) -> dict:
    name = name or fresh_name()
    return {"username": name, "email": f"{name}@example.com", "password": "password123",
            "full_name": "Admin Made", **extra}


# --- authorization matrix -------------------------------------------------------------------

# Each route: how to call it against a throwaway target user, and what an admin gets.
ROUTES = {
    "POST /admin/users": (lambda t: ("POST", "/admin/users", new_account()), 201),
    "GET /admin/users": (lambda t: ("GET", "/admin/users", None), 200),
    "GET /admin/users/{id}": (lambda t: ("GET", f"/admin/users/{t}", None), 200),
    "PUT /admin/users/{id}": (lambda t: ("PUT", f"/admin/users/{t}", {"full_name": "X"}), 200),
    "DELETE /admin/users/{id}": (lambda t: ("DELETE", f"/admin/users/{t}", None), 204),
    "PUT /admin/users/{id}/role": (
        lambda t: ("PUT", f"/admin/users/{t}/role", {"role": "admin"}), 200),
    "PUT /admin/users/{id}/active": (
        lambda t: ("PUT", f"/admin/users/{t}/active", {"is_active": False}), 200),
    "GET /admin/stats": (lambda t: ("GET", "/admin/stats", None), 200),
}


@pytest.mark.parametrize("caller", ["anonymous", "user", "admin"])
@pytest.mark.parametrize("route", list(ROUTES))
def test_admin_routes_authorization(user_api, admin, route, caller):
    target = user_api.register()
    build, admin_status = ROUTES[route]
    method, path, body = build(target["id"])
    token = {"anonymous": lambda: None, "user": lambda: user_api.new_user()[1],
             "admin": lambda: admin}[caller]()
    response = user_api.http.request(method, user_api.url(path), json=body, timeout=10,
                                     headers={"Authorization": f"Bearer {token}"} if token else {})
    if caller == "anonymous":
        problem(response, 401)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")
    elif caller == "user":
        problem(response, 403)
    else:
        assert response.status_code == admin_status, response.text
    if caller != "admin":
        # A refused call changed nothing.
        assert user_api.get(f"/admin/users/{target['id']}", admin).json() == target


# --- create ---------------------------------------------------------------------------------

def test_admin_creates_an_admin_who_can_administer(user_api, admin):
    body = new_account(role="admin")
    response = user_api.post("/admin/users", body, admin)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["role"] == "admin" and created["username"] == body["username"]
    assert "password" not in response.text.lower()
    token = user_api.login(body["username"])["access_token"]
    assert user_api.get("/admin/stats", token).status_code == 200


def test_admin_creates_a_plain_user_by_default(user_api, admin):
    created = user_api.post("/admin/users", new_account(), admin).json()
    assert created["role"] == "user"


def test_admin_create_rejects_an_unknown_role_and_duplicates(user_api, admin):
    assert "role" in field_errors(user_api.post("/admin/users", new_account(role="boss"), admin))
    existing = user_api.register()
    problem(user_api.post("/admin/users", new_account(existing["username"]), admin), 409)


# --- list -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def many_users(user_api, admin):
    """At least 101 users exist, so the default and maximum page sizes are observable."""
    total = user_api.get("/admin/users", admin).json()["total"]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: user_api.register(), range(max(0, 101 - total))))


def list_users(user_api, admin, query: str = "") -> dict:
    response = user_api.get("/admin/users" + query, admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"items", "total", "limit", "offset"}
    return body


def test_list_defaults_to_fifty(user_api, admin, many_users):
    body = list_users(user_api, admin)
    assert body["limit"] == 50 and body["offset"] == 0
    assert len(body["items"]) == 50
    assert body["total"] > 100


def test_list_limit_is_clamped_to_one_hundred(user_api, admin, many_users):
    body = list_users(user_api, admin, "?limit=1000")
    assert body["limit"] == 100 and len(body["items"]) == 100


def test_list_total_is_the_true_count(user_api, admin, many_users):
    first = list_users(user_api, admin, "?limit=100")
    seen = []
    offset = 0
    while True:
        page = list_users(user_api, admin, f"?limit=100&offset={offset}")
        seen += [u["id"] for u in page["items"]]
        if len(page["items"]) < 100:
            break
        offset += 100
    assert len(seen) == len(set(seen)) == first["total"]
    assert user_api.get("/admin/stats", admin).json()["total_users"] == first["total"]


def test_list_pages_do_not_overlap(user_api, admin, many_users):
    whole = list_users(user_api, admin, "?limit=6")["items"]
    first = list_users(user_api, admin, "?limit=3&offset=0")["items"]
    second = list_users(user_api, admin, "?limit=3&offset=3")["items"]
    assert [u["id"] for u in first + second] == [u["id"] for u in whole]
    beyond = list_users(user_api, admin, "?offset=100000")
    assert beyond["items"] == [] and beyond["total"] > 0


@pytest.mark.parametrize("query,field", [
    ("limit=0", "limit"), ("limit=abc", "limit"), ("limit=-5", "limit"), ("limit=", "limit"),
    ("limit=1.5", "limit"), ("offset=-1", "offset"), ("offset=x", "offset"),
    ("role=boss", "role"), ("role=ADMIN", "role"), ("is_active=maybe", "is_active"),
    ("is_active=", "is_active"), ("q=" + "x" * 101, "q"), ("q=%FF", "q"),
])
def test_list_rejects_bad_query_parameters(user_api, admin, query, field):
    response = user_api.get("/admin/users?" + query, admin)
    assert field in field_errors(response)
    # The detail speaks about the parameter, not about the database behind it.
    assert "database" not in response.json()["detail"].lower()


def test_list_filters_by_role_and_activity(user_api, admin):
    inactive = user_api.register()
    user_api.put(f"/admin/users/{inactive['id']}/active", {"is_active": False}, admin)
    admins = list_users(user_api, admin, "?role=admin&limit=100")
    assert admins["items"] and all(u["role"] == "admin" for u in admins["items"])
    users = list_users(user_api, admin, "?role=user&limit=100")
    assert all(u["role"] == "user" for u in users["items"])
    stats = user_api.get("/admin/stats", admin).json()
    assert admins["total"] == stats["admin_count"] and users["total"] == stats["user_count"]
    off = list_users(user_api, admin, "?is_active=false&limit=100")
    assert all(u["is_active"] is False for u in off["items"])
    on = list_users(user_api, admin, "?is_active=true&limit=1")
    assert on["total"] == stats["active_users"]
    assert off["total"] == stats["total_users"] - stats["active_users"]
    found = list_users(user_api, admin, f"?is_active=false&q={inactive['username']}")
    assert [u["id"] for u in found["items"]] == [inactive["id"]]


def test_search_matches_username_or_email_case_insensitively(user_api, admin):
    tag = uuid.uuid4().hex[:10]
    by_name = user_api.register(f"s{tag}name")
    by_mail = user_api.register(f"m{uuid.uuid4().hex[:8]}", email=f"x{tag}mail@example.com")
    found = list_users(user_api, admin, f"?q={tag.upper()}")
    assert sorted(u["id"] for u in found["items"]) == sorted([by_name["id"], by_mail["id"]])
    assert found["total"] == 2
    only_admins = list_users(user_api, admin, f"?q={tag}&role=admin")
    assert only_admins["items"] == [] and only_admins["total"] == 0


def test_search_treats_percent_and_underscore_literally(user_api, admin):
    tag = uuid.uuid4().hex[:10]
    underscore = user_api.register(f"q{tag}_z")
    user_api.register(f"q{tag}az")                       # "_" as a wildcard would match this
    percent = user_api.register(f"p{uuid.uuid4().hex[:8]}", email=f"r{tag}%z@example.com")
    user_api.register(f"p{uuid.uuid4().hex[:8]}", email=f"r{tag}abcz@example.com")
    found = list_users(user_api, admin, "?" + requests.compat.urlencode({"q": f"{tag}_z"}))
    assert [u["id"] for u in found["items"]] == [underscore["id"]], found
    found = list_users(user_api, admin, "?" + requests.compat.urlencode({"q": f"{tag}%z"}))
    assert [u["id"] for u in found["items"]] == [percent["id"]], found
    assert found["total"] == 1


# --- one user by id -------------------------------------------------------------------------

ID_ROUTES = [("GET", "", None), ("PUT", "", {"full_name": "x"}), ("DELETE", "", None),
             ("PUT", "/role", {"role": "user"}), ("PUT", "/active", {"is_active": True})]


@pytest.mark.parametrize("method,suffix,body", ID_ROUTES)
def test_missing_id_is_404(user_api, admin, method, suffix, body):
    response = user_api.http.request(method, user_api.url(f"/admin/users/999999999{suffix}"),
                                     json=body, headers={"Authorization": f"Bearer {admin}"},
                                     timeout=10)
    problem(response, 404)


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "1.5", "99999999999999999999"])
@pytest.mark.parametrize("method,suffix,body", ID_ROUTES)
def test_malformed_id_is_400(user_api, admin, method, suffix, body, bad_id):
    response = user_api.http.request(method, user_api.url(f"/admin/users/{bad_id}{suffix}"),
                                     json=body, headers={"Authorization": f"Bearer {admin}"},
                                     timeout=10)
    assert "id" in field_errors(response)


def test_admin_reads_and_updates_a_user(user_api, admin):
    user = user_api.register()
    assert user_api.get(f"/admin/users/{user['id']}", admin).json() == user
    new_email = f"{fresh_name()}@example.net"
    response = user_api.put(f"/admin/users/{user['id']}",
                            {"email": new_email, "full_name": "Renamed",
                             "password": "admin-set-password"}, admin)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert (updated["email"], updated["full_name"]) == (new_email, "Renamed")
    assert user_api.post("/auth/login", {"username": user["username"],
                                         "password": "admin-set-password"}).status_code == 200
    problem(user_api.post("/auth/login", {"username": user["username"],
                                          "password": "password123"}), 401)


def test_admin_update_cannot_set_role_or_take_a_used_email(user_api, admin):
    user, other = user_api.register(), user_api.register()
    assert "role" in field_errors(
        user_api.put(f"/admin/users/{user['id']}", {"role": "admin"}, admin))
    problem(user_api.put(f"/admin/users/{user['id']}", {"email": other["email"]}, admin), 409)


def test_delete_removes_the_user(user_api, admin):
    user, token = user_api.new_user()
    assert user_api.delete(f"/admin/users/{user['id']}", admin).status_code == 204
    problem(user_api.get(f"/admin/users/{user['id']}", admin), 404)
    problem(user_api.delete(f"/admin/users/{user['id']}", admin), 404)
    problem(user_api.get("/users/me", token), 401)
    problem(user_api.post("/auth/login", {"username": user["username"],
                                          "password": "password123"}), 401)


def test_role_change_is_visible_and_reversible(user_api, admin):
    user = user_api.register()
    promoted = user_api.put(f"/admin/users/{user['id']}/role", {"role": "admin"}, admin).json()
    assert promoted["role"] == "admin"
    assert user_api.get(f"/admin/users/{user['id']}", admin).json()["role"] == "admin"
    demoted = user_api.put(f"/admin/users/{user['id']}/role", {"role": "user"}, admin).json()
    assert demoted["role"] == "user"


def test_deactivation_closes_the_account_at_once(user_api, admin):
    user, token = user_api.new_user()
    assert user_api.get("/users/me", token).status_code == 200
    response = user_api.put(f"/admin/users/{user['id']}/active", {"is_active": False}, admin)
    assert response.status_code == 200 and response.json()["is_active"] is False
    # The still-unexpired access token no longer works, and logging in again fails.
    problem(user_api.get("/users/me", token), 401)
    problem(user_api.post("/auth/login", {"username": user["username"],
                                          "password": "password123"}), 401)
    # Reactivation restores access.
    user_api.put(f"/admin/users/{user['id']}/active", {"is_active": True}, admin)
    assert user_api.post("/auth/login", {"username": user["username"],
                                         "password": "password123"}).status_code == 200


# --- stats ----------------------------------------------------------------------------------

def test_stats_are_true_counts(user_api, admin):
    def stats():
        body = user_api.get("/admin/stats", admin).json()
        assert set(body) == {"total_users", "admin_count", "user_count", "active_users"}
        return body

    before = stats()
    assert before["admin_count"] + before["user_count"] == before["total_users"]
    assert before["admin_count"] >= 1
    a, b = user_api.register(), user_api.register()
    after_register = stats()
    assert after_register == {**before, "total_users": before["total_users"] + 2,
                              "user_count": before["user_count"] + 2,
                              "active_users": before["active_users"] + 2}
    user_api.put(f"/admin/users/{a['id']}/active", {"is_active": False}, admin)
    user_api.put(f"/admin/users/{b['id']}/role", {"role": "admin"}, admin)
    after_changes = stats()
    assert after_changes == {**after_register,
                             "admin_count": after_register["admin_count"] + 1,
                             "user_count": after_register["user_count"] - 1,
                             "active_users": after_register["active_users"] - 1}
    user_api.put(f"/admin/users/{b['id']}/role", {"role": "user"}, admin)
    assert stats() == {**after_register, "active_users": after_register["active_users"] - 1}
    user_api.delete(f"/admin/users/{a['id']}", admin)
    user_api.delete(f"/admin/users/{b['id']}", admin)
    assert stats() == before


# --- the last active admin ------------------------------------------------------------------

def test_the_last_active_admin_cannot_be_demoted_deactivated_or_deleted(user_api, admin,
                                                                       admin_id):
    # Make the bootstrap admin the only active admin: demote every other active admin, and keep
    # one deactivated admin around (an inactive admin must not count as "another admin").
    dormant = user_api.post("/admin/users", new_account(role="admin"), admin).json()
    assert user_api.put(f"/admin/users/{dormant['id']}/active", {"is_active": False},
                        admin).status_code == 200
    others = list_users(user_api, admin, "?role=admin&is_active=true&limit=100")["items"]
    for other in others:
        if other["id"] != admin_id:
            assert user_api.put(f"/admin/users/{other['id']}/role", {"role": "user"},
                                admin).status_code == 200
    second_token = None
    try:
        for method, suffix, body in [("PUT", "/role", {"role": "user"}),
                                     ("PUT", "/active", {"is_active": False}),
                                     ("DELETE", "", None)]:
            response = user_api.http.request(
                method, user_api.url(f"/admin/users/{admin_id}{suffix}"), json=body,
                headers={"Authorization": f"Bearer {admin}"}, timeout=10)
            problem(response, 422)
        me = user_api.get(f"/admin/users/{admin_id}", admin).json()
        assert me["role"] == "admin" and me["is_active"] is True
        # An admin who is not the last active one may be demoted.
        second = user_api.post("/admin/users", new_account(role="admin"), admin).json()
        assert user_api.put(f"/admin/users/{second['id']}/role", {"role": "user"},
                            admin).status_code == 200
        # Two admins demoting each other at the same moment: exactly one of them steps down.
        second = user_api.post("/admin/users", new_account(role="admin"), admin).json()
        second_token = user_api.login(second["username"])["access_token"]
        barrier = threading.Barrier(2)

        def demote(args):
            target, token = args
            barrier.wait()
            return requests.put(user_api.url(f"/admin/users/{target}/role"), json={"role": "user"},
                                headers={"Authorization": f"Bearer {token}"},
                                timeout=10).status_code

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(demote, [(admin_id, second_token), (second["id"], admin)]))
        # The loser is refused either by the last-admin rule (422) or, when the winner's change
        # committed first, because it is no longer an admin at all (403).
        assert statuses in ([200, 403], [200, 422]), statuses
        # Exactly one active admin is left: whichever of the two won the race.
        winner = admin if user_api.get("/admin/stats", admin).status_code == 200 else second_token
        assert user_api.get("/admin/stats", winner).json()["admin_count"] >= 1
        active_admins = list_users(user_api, winner, "?role=admin&is_active=true")
        assert active_admins["total"] == 1
        if winner is second_token:
            # The bootstrap admin lost: its token stopped working at once (roles are checked
            # against the database on admin routes). Put it back for the other tests.
            assert user_api.put(f"/admin/users/{admin_id}/role", {"role": "admin"},
                                second_token).status_code == 200
    finally:
        # The bootstrap admin must end this test as an active admin, whatever happened above.
        if user_api.get("/admin/stats", admin).status_code != 200 and second_token:
            user_api.put(f"/admin/users/{admin_id}/role", {"role": "admin"}, second_token)
        me = user_api.get(f"/admin/users/{admin_id}", admin)
        assert me.status_code == 200 and me.json()["role"] == "admin", me.text
