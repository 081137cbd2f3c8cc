"""GET and PUT /users/me: a user reads and edits their own profile, never their role."""
from __future__ import annotations

import time
import uuid

import pytest

from fo_testkit import field_errors, problem


def test_get_me_returns_the_callers_own_user(user_api):
    user, token = user_api.new_user()
    response = user_api.get("/users/me", token)
    assert response.status_code == 200, response.text
    assert response.json() == user


def test_update_email_and_full_name(user_api):
    user, token = user_api.new_user()
    new_email = f"new-{uuid.uuid4().hex[:8]}@Example.org"
    time.sleep(0.01)  # so updated_at can move even at a coarse clock
    response = user_api.put("/users/me", {"email": new_email, "full_name": "Grace Hopper"}, token)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["email"] == new_email.lower()
    assert updated["full_name"] == "Grace Hopper"
    assert updated["created_at"] == user["created_at"]
    assert updated["updated_at"] > user["updated_at"]
    assert (updated["id"], updated["username"], updated["role"]) == (
        user["id"], user["username"], user["role"])
    assert user_api.get("/users/me", token).json() == updated


def test_update_only_full_name_keeps_the_email(user_api):
    user, token = user_api.new_user()
    updated = user_api.put("/users/me", {"full_name": "Only Name"}, token).json()
    assert updated["email"] == user["email"] and updated["full_name"] == "Only Name"


def test_update_email_taken_by_someone_else_is_409(user_api):
    other = user_api.register()
    _, token = user_api.new_user()
    body = problem(user_api.put("/users/me", {"email": other["email"].upper()}, token), 409)
    assert "email" in {e["field"] for e in body.get("errors", [])}


def test_password_change_needs_the_current_password(user_api):
    user, token = user_api.new_user()
    missing = user_api.put("/users/me", {"password": "brand-new-password"}, token)
    assert "current_password" in field_errors(missing)
    wrong = user_api.put("/users/me", {"password": "brand-new-password",
                                       "current_password": "not-my-password"}, token)
    assert "current_password" in field_errors(wrong)
    # Neither attempt changed anything.
    assert user_api.post("/auth/login", {"username": user["username"],
                                         "password": "password123"}).status_code == 200


def test_password_change_with_the_current_password(user_api):
    user, token = user_api.new_user()
    response = user_api.put("/users/me", {"password": "brand-new-password",
                                          "current_password": "password123"}, token)
    assert response.status_code == 200, response.text
    assert "password" not in {k.lower() for k in response.json()}
    assert user_api.post("/auth/login", {"username": user["username"],
                                         "password": "brand-new-password"}).status_code == 200
    problem(user_api.post("/auth/login", {"username": user["username"],
                                          "password": "password123"}), 401)


def test_new_password_is_validated(user_api):
    _, token = user_api.new_user()
    short = user_api.put("/users/me", {"password": "short", "current_password": "password123"},
                         token)
    assert "password" in field_errors(short)


@pytest.mark.parametrize("field,value", [("role", "admin"), ("is_active", True),
                                         ("id", 1), ("username", "someone-else")])
def test_fields_a_user_may_not_set_are_rejected(user_api, admin, field, value):
    user, token = user_api.new_user()
    response = user_api.put("/users/me", {field: value, "full_name": "Sneaky"}, token)
    assert field in field_errors(response)
    # Nothing was applied, and the role is still user as far as the admin can see.
    assert user_api.get("/users/me", token).json() == user
    assert user_api.get(f"/admin/users/{user['id']}", admin).json()["role"] == "user"
    assert user_api.get("/admin/stats", token).status_code == 403


def test_profile_of_a_deactivated_account_is_closed(user_api, admin):
    user, token = user_api.new_user()
    assert user_api.put(f"/admin/users/{user['id']}/active", {"is_active": False},
                        admin).status_code == 200
    problem(user_api.get("/users/me", token), 401)
    problem(user_api.put("/users/me", {"full_name": "Still here?"}, token), 401)
