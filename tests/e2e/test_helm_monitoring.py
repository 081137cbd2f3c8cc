"""The Helm chart deploy/helm/monitoring: it lints, and what it renders is what the local stack
runs. The PrometheusRule holds the rule files' groups unchanged and still passes every alert's
unit test; the plain Prometheus configuration (Kubernetes pod discovery) passes a promtool that
knows that discovery (Prometheus 3, built by scripts/install-deps test; Debian's promtool lacks
it); each dashboard ConfigMap holds its dashboard file byte for byte; the values change what they
say they change."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "deploy/helm/monitoring"
RULES = REPO / "deploy/prometheus/rules"
DASHBOARDS = REPO / "deploy/grafana/dashboards"
HELM = REPO / ".local/go/bin/helm"
PROMTOOL3 = REPO / ".local/go/bin/promtool"


def run(*command: str | Path, cwd: Path = REPO) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def render(*values: str) -> list[dict]:
    sets = [arg for value in values for arg in ("--set", value)]
    out = run(HELM, "template", "obs", CHART, "--namespace", "shop", *sets)
    return [document for document in yaml.safe_load_all(out) if document]


def one(documents: list[dict], kind: str, name: str | None = None) -> dict:
    found = [d for d in documents
             if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, [(d["kind"], d["metadata"]["name"]) for d in documents]
    return found[0]


def rule_file_groups() -> list[dict]:
    return [group for path in sorted(RULES.glob("*.yml"))
            for group in yaml.safe_load(path.read_text())["groups"]]


def test_the_chart_lints_strictly():
    run(HELM, "lint", "--strict", CHART)


def test_defaults_render_the_operator_objects_dashboards_and_jaeger_datasource():
    documents = render()
    kinds = sorted(d["kind"] for d in documents)
    assert kinds == sorted(["PodMonitor", "PrometheusRule", "ConfigMap"]
                           + ["ConfigMap"] * len(list(DASHBOARDS.glob("*.json"))))
    for document in documents:
        assert document["metadata"]["labels"]["app.kubernetes.io/instance"] == "obs"
        assert document["metadata"]["name"].startswith("obs-monitoring")


def test_the_pod_monitor_scrapes_the_services_pods_and_names_the_job_after_the_service():
    monitor = one(render(), "PodMonitor")
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus-stack"
    spec = monitor["spec"]
    assert spec["selector"] == {"matchLabels": {"app.kubernetes.io/part-of": "full-observability"}}
    assert spec["namespaceSelector"] == {"matchNames": ["shop"]}
    [endpoint] = spec["podMetricsEndpoints"]
    assert (endpoint["port"], endpoint["path"], endpoint["interval"]) == ("http", "/metrics", "15s")
    assert endpoint["relabelings"] == [{
        "sourceLabels": ["__meta_kubernetes_pod_label_app_kubernetes_io_name"],
        "targetLabel": "job"}]


def test_values_change_the_selector_job_label_namespace_and_operator_labels():
    monitor = one(render("jobLabel=app", "targetNamespace=prod", "selector.tier=shop",
                         "prometheusOperator.labels.release=monitoring"), "PodMonitor")
    assert monitor["metadata"]["labels"]["release"] == "monitoring"
    assert monitor["spec"]["selector"]["matchLabels"] == {
        "app.kubernetes.io/part-of": "full-observability", "tier": "shop"}
    assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["prod"]}
    relabel = monitor["spec"]["podMetricsEndpoints"][0]["relabelings"][0]
    assert relabel["sourceLabels"] == ["__meta_kubernetes_pod_label_app"]


def test_the_prometheus_rule_holds_every_rule_group_unchanged():
    rule = one(render(), "PrometheusRule")
    assert rule["spec"]["groups"] == rule_file_groups()


def test_the_rendered_rules_pass_promtool_and_every_alert_unit_test(tmp_path):
    rules = one(render(), "PrometheusRule")["spec"]
    (tmp_path / "rules.yml").write_text(yaml.safe_dump(rules))
    run("promtool", "check", "rules", "rules.yml", cwd=tmp_path)
    # The alert unit tests, pointed at the rendered rules instead of the rule files.
    unit_tests = yaml.safe_load((REPO / "deploy/prometheus/tests/alerts.test.yml").read_text())
    unit_tests["rule_files"] = ["rules.yml"]
    (tmp_path / "alerts.test.yml").write_text(yaml.safe_dump(unit_tests))
    run("promtool", "test", "rules", "alerts.test.yml", cwd=tmp_path)


def test_a_runbook_url_replaces_the_repository_path_and_keeps_each_anchor():
    base = "https://git.example.com/fo/blob/main/deploy/prometheus/RUNBOOKS.md"
    groups = one(render(f"runbookUrl={base}"), "PrometheusRule")["spec"]["groups"]
    expected = [rule["annotations"]["runbook_url"]
                for group in rule_file_groups() for rule in group["rules"] if "alert" in rule]
    urls = [rule["annotations"]["runbook_url"]
            for group in groups for rule in group["rules"] if "alert" in rule]
    assert urls and len(urls) == len(expected)
    assert urls == [url.replace("deploy/prometheus/RUNBOOKS.md", base) for url in expected]


@pytest.mark.parametrize("path", sorted(DASHBOARDS.glob("*.json")), ids=lambda p: p.name)
def test_each_dashboard_config_map_holds_its_file_for_the_grafana_sidecar(path):
    config_map = one(render(), "ConfigMap", f"obs-monitoring-dashboard-{path.stem}")
    assert config_map["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert config_map["metadata"]["annotations"]["grafana_folder"] == "full-observability"
    assert config_map["data"][path.name] == path.read_text().rstrip("\n")
    json.loads(config_map["data"][path.name])


def test_the_datasources_give_the_uids_the_dashboards_query():
    [jaeger] = yaml.safe_load(one(render(), "ConfigMap", "obs-monitoring-datasources")["data"][
        "full-observability-datasources.yaml"])["datasources"]
    assert (jaeger["uid"], jaeger["url"]) == ("jaeger", "http://jaeger-query:16686")
    rendered = one(render("grafana.datasources.prometheusUrl=http://prometheus:9090"), "ConfigMap",
                   "obs-monitoring-datasources")
    sources = yaml.safe_load(rendered["data"]["full-observability-datasources.yaml"])["datasources"]
    assert [s["uid"] for s in sources] == ["jaeger", "prometheus"]
    used = {target["datasource"]["uid"] for path in DASHBOARDS.glob("*.json")
            for panel in json.loads(path.read_text())["panels"] for target in panel["targets"]}
    assert used <= {"prometheus", "jaeger"}


def test_everything_can_be_switched_off():
    assert render("prometheusOperator.enabled=false", "grafana.dashboards.enabled=false",
                  "grafana.datasources.enabled=false") == []


def test_the_plain_prometheus_configuration_discovers_pods_and_passes_promtool(tmp_path):
    documents = render("prometheusConfig.enabled=true", "prometheusConfig.rulesDir=rules",
                       "prometheusOperator.enabled=false")
    config = one(documents, "ConfigMap", "obs-monitoring-prometheus")["data"]["prometheus.yml"]
    rules = one(documents, "ConfigMap", "obs-monitoring-prometheus-rules")["data"]["rules.yml"]
    assert yaml.safe_load(rules)["groups"] == rule_file_groups()
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules/rules.yml").write_text(rules)
    (tmp_path / "prometheus.yml").write_text(config)
    assert PROMTOOL3.is_file(), "run scripts/install-deps test"
    out = run(PROMTOOL3, "check", "config", "prometheus.yml", cwd=tmp_path)
    assert "SUCCESS" in out and "1 rule files found" in out, out

    [scrape] = yaml.safe_load(config)["scrape_configs"]
    assert scrape["kubernetes_sd_configs"] == [{"role": "pod", "namespaces": {"names": ["shop"]}}]
    relabel = scrape["relabel_configs"]
    assert {"source_labels": ["__meta_kubernetes_pod_label_app_kubernetes_io_part_of"],
            "regex": "full-observability", "action": "keep"} in relabel
    assert {"source_labels": ["__meta_kubernetes_pod_container_port_name"], "regex": "http",
            "action": "keep"} in relabel
    assert {"source_labels": ["__meta_kubernetes_pod_label_app_kubernetes_io_name"],
            "target_label": "job"} in relabel

