#!/usr/bin/env python3
"""Writes the Grafana dashboards (dashboards/*.json) from the panel lists below: one place for
every query, the same layout and units everywhere. Edit this file and run it; the telemetry
tests check the JSON is what it writes and that every query returns data under load.

`$__rate_interval` is Grafana's: at least four scrape intervals, so rates never go blank."""
from __future__ import annotations

import json
from pathlib import Path

PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}
PROBES = 'route!~"/livez|/readyz|/metrics|/health"'
RATE = "$__rate_interval"


def p99(metric: str, by: str, selector: str = "") -> str:
    inner = f"{{{selector}}}" if selector else ""
    return (f"histogram_quantile(0.99, sum by ({by}, le) "
            f"(rate({metric}_bucket{inner}[{RATE}])))")


def ratio(part: str, whole: str) -> str:
    """part / whole, and 0 (not nothing) while part has no series yet."""
    return f"({part} or 0 * {whole}) / {whole}"


# (title, unit, [(expr, legend)]) per panel; two panels per row.
DASHBOARDS = {
    "overview": ("System overview", "RED per service and route, saturation", [
        ("Requests per second by service", "reqps", [
            (f"sum by (job) (rate(http_server_requests_total{{{PROBES}}}[{RATE}]))", "{{job}}")]),
        ("Share of requests answered with a 5xx", "percentunit", [
            (ratio(f'sum by (job) (rate(http_server_requests_total{{status=~"5..",{PROBES}}}[{RATE}]))',
                   f"sum by (job) (rate(http_server_requests_total{{{PROBES}}}[{RATE}]))"),
             "{{job}}")]),
        ("p99 latency by service and route", "s", [
            (p99("http_server_request_duration_seconds", "job, route", PROBES),
             "{{job}} {{route}}")]),
        ("Requests by route and status", "reqps", [
            (f"sum by (job, route, status) (rate(http_server_requests_total{{{PROBES}}}[{RATE}]))",
             "{{job}} {{route}} {{status}}")]),
        ("gRPC calls served by method and code", "reqps", [
            (f"sum by (job, grpc_method, grpc_code) (rate(grpc_server_handled_total[{RATE}]))",
             "{{job}} {{grpc_method}} {{grpc_code}}")]),
        ("gRPC p99 latency by method (server)", "s", [
            (p99("grpc_server_handling_seconds", "job, grpc_method"), "{{job}} {{grpc_method}}")]),
        ("Requests in flight", "short", [
            ("sum by (job) (http_server_active_requests)", "{{job}}")]),
        ("Registrations and logins by outcome", "ops", [
            (f"sum by (outcome) (rate(user_registrations_total[{RATE}]))", "registration {{outcome}}"),
            (f"sum by (outcome) (rate(user_logins_total[{RATE}]))", "login {{outcome}}")]),
        ("Availability budget burn rate (1 = on budget)", "short", [
            ("job:http_server_errors:ratio_rate5m / 0.001", "{{job}} 5m"),
            ("job:http_server_errors:ratio_rate1h / 0.001", "{{job}} 1h")]),
    ]),
    "gateway": ("Gateway", "rate limits, cache, breakers, upstreams", [
        ("Rate-limit decisions", "reqps", [
            (f"sum by (class, decision, source) (rate(gateway_rate_limit_decisions_total[{RATE}]))",
             "{{class}} {{decision}} ({{source}})")]),
        ("Cache hit ratio", "percentunit", [
            (ratio(f'sum(rate(gateway_cache_requests_total{{result="hit"}}[{RATE}]))',
                   f'sum(rate(gateway_cache_requests_total{{result=~"hit|miss"}}[{RATE}]))'),
             "hit ratio")]),
        ("Circuit breakers (0 closed, 1 half-open, 2 open)", "short", [
            ("max by (upstream, upstream_instance) (gateway_circuit_breaker_state)",
             "{{upstream}} {{upstream_instance}}")]),
        ("Upstream p99 latency", "s", [
            (p99("gateway_upstream_request_duration_seconds", "upstream"), "{{upstream}}")]),
        ("Upstream attempts by outcome", "reqps", [
            (f"sum by (upstream, outcome) (rate(gateway_upstream_attempts_total[{RATE}]))",
             "{{upstream}} {{outcome}}")]),
        ("Token checks", "reqps", [
            (f"sum by (result) (rate(gateway_auth_decisions_total[{RATE}]))", "{{result}}")]),
        ("Healthy upstream instances", "short", [
            ("sum by (upstream) (gateway_upstream_healthy)", "{{upstream}}")]),
        ("Redis command p99 latency", "s", [
            (p99("redis_client_command_duration_seconds", "job, command"), "{{job}} {{command}}")]),
    ]),
    "purchase": ("Purchase saga", "payments, reservations, replays, the provider", [
        ("Payments entering each status", "ops", [
            (f"sum by (status) (rate(payments_total[{RATE}]))", "{{status}}")]),
        ("Purchase answers by outcome", "ops", [
            (f"sum by (outcome) (rate(payment_saga_duration_seconds_count[{RATE}]))",
             "{{outcome}}")]),
        ("Purchase p99 latency by outcome", "s", [
            (p99("payment_saga_duration_seconds", "outcome"), "{{outcome}}")]),
        ("Reservations by outcome", "ops", [
            (f"sum by (outcome) (rate(inventory_reservations_total[{RATE}]))", "{{outcome}}")]),
        ("Idempotent replays (payments and reservations)", "ops", [
            (f'sum(rate(payment_saga_duration_seconds_count{{outcome="replayed"}}[{RATE}]))',
             "payment replays"),
            (f'sum(rate(inventory_reservations_total{{outcome="replayed"}}[{RATE}]))',
             "reservation replays")]),
        ("Payment provider p99 latency by operation and outcome", "s", [
            (p99("payment_provider_request_duration_seconds", "operation, outcome"),
             "{{operation}} {{outcome}}")]),
        ("Saga calls p99 latency (payment's gRPC clients)", "s", [
            (p99("grpc_client_handling_seconds", "grpc_method", 'job="payment"'),
             "{{grpc_method}}")]),
    ]),
    "kafka": ("Kafka and the outbox", "produce and consume rates, lag, dead letters, backlog", [
        ("Records produced by topic and outcome", "ops", [
            (f"sum by (topic, outcome) (rate(kafka_producer_messages_total[{RATE}]))",
             "{{topic}} {{outcome}}")]),
        ("Records consumed by topic and outcome", "ops", [
            (f"sum by (job, topic, outcome) (rate(kafka_consumer_messages_total[{RATE}]))",
             "{{job}} {{topic}} {{outcome}}")]),
        ("Consumer lag", "short", [
            ("sum by (job, topic) (kafka_consumer_lag)", "{{job}} {{topic}}")]),
        ("Dead-lettered records (last hour)", "short", [
            ('sum by (job, topic) (increase(kafka_consumer_messages_total{outcome="dead_lettered"}[1h]))',
             "{{job}} {{topic}}")]),
        ("Outbox backlog", "short", [
            ("sum by (job) (outbox_pending_events)", "{{job}}")]),
        ("Age of the oldest unpublished event", "s", [
            ("max by (job) (outbox_oldest_pending_age_seconds)", "{{job}}")]),
        ("Delivery p99 latency (to broker acknowledgement)", "s", [
            (p99("kafka_producer_delivery_duration_seconds", "job, topic"), "{{job}} {{topic}}")]),
        ("Handler p99 latency", "s", [
            (p99("kafka_consumer_handler_duration_seconds", "job, topic"), "{{job}} {{topic}}")]),
    ]),
    "postgres": ("PostgreSQL pools", "connections, statement latency, errors", [
        ("Open connections", "short", [
            ("sum by (job, state) (db_client_connections)", "{{job}} {{state}}")]),
        ("Statements per second by table", "ops", [
            (f"sum by (job, table) (rate(db_client_operation_duration_seconds_count[{RATE}]))",
             "{{job}} {{table}}")]),
        ("Statement p99 latency by table and operation", "s", [
            (p99("db_client_operation_duration_seconds", "job, table, operation"),
             "{{job}} {{operation}} {{table}}")]),
        ("Failed statements and pool timeouts", "ops", [
            (ratio(f"sum by (job) (rate(db_client_operation_errors_total[{RATE}]))",
                   f"sum by (job) (rate(db_client_operation_duration_seconds_count[{RATE}]))"),
             "{{job}} failed share"),
            (f"sum by (job) (rate(db_client_connection_timeouts_total[{RATE}]))",
             "{{job}} pool timeouts")]),
    ]),
    "process": ("Processes", "CPU, memory, uptime, telemetry export", [
        ("CPU (cores)", "short", [
            (f"sum by (job) (rate(process_cpu_seconds_total[{RATE}]))", "{{job}}")]),
        ("Resident memory", "bytes", [
            ("sum by (job) (process_resident_memory_bytes)", "{{job}}")]),
        ("Uptime", "s", [("time() - max by (job) (process_start_time_seconds)", "{{job}}")]),
        ("Spans exported and dropped", "ops", [
            (f"sum by (job) (rate(otel_exporter_spans_exported_total[{RATE}]))", "{{job}} exported"),
            (ratio(f"sum by (job) (rate(otel_exporter_spans_dropped_total[{RATE}]))",
                   f"sum by (job) (rate(otel_exporter_spans_exported_total[{RATE}]))"),
             "{{job}} dropped share")]),
    ]),
}


def panel(index: int, title: str, unit: str, queries: list[tuple[str, str]]) -> dict:
    return {
        "id": index + 1, "type": "timeseries", "title": title, "datasource": PROMETHEUS,
        "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"},
                    "tooltip": {"mode": "multi"}},
        "targets": [{"refId": chr(ord("A") + i), "datasource": PROMETHEUS, "expr": expr,
                     "legendFormat": legend} for i, (expr, legend) in enumerate(queries)],
    }


def dashboard(uid: str, title: str, description: str, panels: list) -> dict:
    return {
        "uid": f"fo-{uid}", "title": f"full-observability / {title}", "description": description,
        "tags": ["full-observability"], "timezone": "utc", "editable": True,
        "schemaVersion": 39, "version": 1, "refresh": "10s",
        "time": {"from": "now-1h", "to": "now"},
        "links": [{"title": "Traces (Jaeger)", "type": "link", "url": "/explore?left="
                   + json.dumps({"datasource": "jaeger"}, separators=(",", ":"))}],
        "panels": [panel(i, *p) for i, p in enumerate(panels)],
    }


def render() -> dict[str, str]:
    return {f"{uid}.json": json.dumps(dashboard(uid, *spec), indent=2) + "\n"
            for uid, spec in DASHBOARDS.items()}


if __name__ == "__main__":
    out = Path(__file__).resolve().parent / "dashboards"
    out.mkdir(exist_ok=True)
    for name, text in render().items():
        (out / name).write_text(text)
