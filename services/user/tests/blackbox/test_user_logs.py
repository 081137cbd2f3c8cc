"""Logs: JSON lines on stdout, one access-log line per request, and trace correlation."""
from __future__ import annotations

import json
import secrets
import uuid


def test_every_output_line_is_a_json_log_record(user_api):
    user_api.get("/livez")
    lines = [line for line in user_api.service.output().splitlines() if line.strip()]
    assert lines
    for line in lines:
        record = json.loads(line)
        assert {"ts", "level", "service", "msg"} <= set(record), record
        assert record["service"] == "user"
        assert record["ts"].endswith("Z")


def test_one_access_log_line_per_request(user_api):
    _, token = user_api.new_user()
    request_id = "log-" + uuid.uuid4().hex
    response = user_api.get("/users/me", token, headers={"X-Request-Id": request_id})
    assert response.status_code == 200
    lines = user_api.logs(lambda r: r.get("request_id") == request_id)
    assert len(lines) == 1, lines
    line = lines[0]
    assert line["msg"] == "request" and line["level"] == "info"
    assert line["route"] == "/users/me" and line["status"] == 200 and line["method"] == "GET"


def test_a_failed_request_is_logged_with_its_status(user_api):
    request_id = "log-" + uuid.uuid4().hex
    user_api.get("/users/me", headers={"X-Request-Id": request_id})
    [line] = user_api.logs(lambda r: r.get("request_id") == request_id)
    assert line["status"] == 401 and line["route"] == "/users/me"


def test_traceparent_is_continued_in_the_logs(user_api):
    trace_id = secrets.token_hex(16)
    parent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    response = user_api.get("/.well-known/jwks.json", headers={"traceparent": parent})
    assert response.status_code == 200
    lines = user_api.logs(lambda r: r.get("trace_id") == trace_id)
    assert lines and lines[0]["route"] == "/.well-known/jwks.json"
    assert lines[0]["span_id"] and lines[0]["span_id"] != parent.split("-")[2]


def test_error_responses_carry_the_logged_trace_id(user_api):
    request_id = "log-" + uuid.uuid4().hex
    body = user_api.get("/users/me", headers={"X-Request-Id": request_id}).json()
    [line] = user_api.logs(lambda r: r.get("request_id") == request_id)
    assert body["trace_id"] == line["trace_id"]


def test_secrets_never_reach_the_logs(user_api):
    password = "pw-" + secrets.token_hex(12)
    user = user_api.register(password=password)
    session = user_api.login(user["username"], password)
    user_api.get("/users/me", session["access_token"])
    user_api.post("/auth/refresh", {"refresh_token": session["refresh_token"]})
    user_api.logs(lambda r: r.get("route") == "/auth/refresh")  # wait for the last line
    output = user_api.service.output()
    assert password not in output
    assert session["refresh_token"] not in output
    assert session["access_token"].split(".")[2] not in output
