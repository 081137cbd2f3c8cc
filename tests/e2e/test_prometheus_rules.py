"""The shipped Prometheus and Alertmanager files are valid (promtool, amtool), every alert's unit
tests pass (promtool test rules), every alert has a firing case among them, and every alert has
the annotations an on-call engineer needs, with a runbook section that exists."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy/prometheus"
RULE_FILES = sorted((DEPLOY / "rules").glob("*.yml"))
UNIT_TESTS = sorted((DEPLOY / "tests").glob("*.test.yml"))


def run(*command: str) -> str:
    result = subprocess.run(command, cwd=DEPLOY, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def alerts() -> list[dict]:
    return [rule for path in RULE_FILES for group in yaml.safe_load(path.read_text())["groups"]
            for rule in group["rules"] if "alert" in rule]


def test_rule_files_check():
    assert RULE_FILES
    run("promtool", "check", "rules", *map(str, RULE_FILES))


def test_every_alert_passes_its_unit_tests():
    assert UNIT_TESTS
    run("promtool", "test", "rules", *map(str, UNIT_TESTS))


def test_every_alert_has_a_unit_test_in_which_it_fires():
    fired = {expected["exp_labels"]["alertname"]
             for path in UNIT_TESTS for case in yaml.safe_load(path.read_text())["tests"]
             for check in case.get("alert_rule_test", []) for expected in check["exp_alerts"]}
    assert {rule["alert"] for rule in alerts()} - fired == set()


def test_shipped_configurations_check():
    run("promtool", "check", "config", "prometheus.yml")
    run("amtool", "check-config", "alertmanager.yml")


def anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes."""
    return {re.sub(r"[^a-z0-9 -]", "", line[3:].strip().lower()).replace(" ", "-")
            for line in markdown.splitlines() if line.startswith("## ")}


@pytest.mark.parametrize("rule", alerts(), ids=lambda rule: rule["alert"])
def test_every_alert_says_how_bad_what_and_where_to_read_on(rule):
    assert rule["labels"]["severity"] in {"page", "ticket"}
    annotations = rule["annotations"]
    assert annotations["summary"] and annotations["description"]
    document, _, anchor = annotations["runbook_url"].partition("#")
    path = DEPLOY.parents[1] / document
    assert path.is_file(), document
    assert anchor in anchors(path.read_text()), anchor
