"""Who may call what: anonymous, user and admin against every route."""
from __future__ import annotations

import pytest
from fo_testkit import problem

# route -> (anonymous, user, admin) expected status; {id} is a live product made per test.
MATRIX = [
    ("GET", "/api/products", None, (200, 200, 200)),
    ("GET", "/api/products/{id}", None, (200, 200, 200)),
    ("GET", "/api/products/stats", None, (200, 200, 200)),
    ("GET", "/api/categories", None, (200, 200, 200)),
    ("GET", "/api/products/favorites", None, (401, 200, 200)),
    ("POST", "/api/products/{id}/favorite", None, (401, 204, 204)),
    ("DELETE", "/api/products/{id}/favorite", None, (401, 204, 204)),
    ("POST", "/api/products", "create", (401, 403, 201)),
    ("PUT", "/api/products/{id}", "replace", (401, 403, 200)),
    ("PATCH", "/api/products/{id}", {"price": 77}, (401, 403, 200)),
    ("DELETE", "/api/products/{id}", None, (401, 403, 204)),
]


def body_for(kind, prefix):
    if kind == "create":
        return {"name": "authz", "sku": f"{prefix}-new", "price": 1}
    if kind == "replace":
        return {"name": "authz", "description": "", "price": 2, "currency": "USD",
                "category": prefix, "sku": f"{prefix}-put", "is_active": True}
    return kind


@pytest.mark.parametrize("method,path,body,expected", MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
@pytest.mark.parametrize("who", [0, 1, 2], ids=["anonymous", "user", "admin"])
def test_authorization_matrix(product_api, admin, prefix, method, path, body, expected, who):
    product = product_api.create(admin, prefix)
    token = [None, product_api.token("user"), product_api.token("admin")][who]
    response = product_api.request(method, path.replace("{id}", str(product["id"])), token,
                                   json=body_for(body, prefix))
    assert response.status_code == expected[who], response.text
    if expected[who] >= 400:
        problem(response, expected[who])
        if expected[who] == 401:
            assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")
