"""Helpers of the product black-box suite (a module name of its own: conftest.py names clash
across the suites pytest collects together)."""
from __future__ import annotations

import secrets
import uuid

LOW_STOCK_THRESHOLD = 10


def new_user_id() -> int:
    return secrets.randbelow(2**40) + 10**9


def unique(label: str = "t") -> str:
    """A prefix no other test (or suite) uses: for skus and categories. The hex part starts
    after an "x", so searches such as "-2" never match the prefix itself."""
    return f"{label}-x{uuid.uuid4().hex[:12]}"


def set_stock(db, product_id: int, stock: int) -> None:
    """Stock is inventory's number (InventoryUpdated events, see test_product_events.py); tests
    that only need some stock set it in SQL, which is quicker and needs no broker."""
    db.execute("UPDATE products SET stock = %s WHERE id = %s", (stock, product_id))


def stable(http_value, sql_value, attempts: int = 20):
    """Compares an API answer with the truth from SQL while another suite may be writing: reads
    SQL before and after the API call and retries until nothing changed in between."""
    for _ in range(attempts):
        before = sql_value()
        answer = http_value()
        after = sql_value()
        if before == after:
            return answer, before
    raise AssertionError("the database kept changing; could not compare")
