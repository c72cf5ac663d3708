"""The dependency audit in CI (.ci/audit) never calls a skipped audit clean."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _audit(tmp_path, report: dict) -> subprocess.CompletedProcess:
    fake = tmp_path / "pip-audit"
    fake.write_text(f"#!{sys.executable}\nprint({json.dumps(json.dumps(report))})\n")
    fake.chmod(0o755)
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "audit")],
        env={"PIP_AUDIT": str(fake), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_audit_that_could_reach_no_package_is_incomplete_not_clean(tmp_path):
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI"}

    result = _audit(tmp_path, {"dependencies": [skipped, {**skipped, "name": "reportlab"}]})

    assert result.returncode == 0
    assert "INCOMPLETE. 2 of 2 packages could not be audited" in result.stdout
    assert "NOT a clean result" in result.stdout
    assert "clean," not in result.stdout


@pytest.mark.parametrize("also_skipped", [False, True])
def test_a_known_vulnerability_fails_the_run(tmp_path, also_skipped):
    dependencies = [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2099-1"}]},
        {"name": "segno", "version": "1.6.6", "vulns": []},
    ]
    if also_skipped:
        dependencies.append({"name": "x", "skip_reason": "not found"})

    result = _audit(tmp_path, {"dependencies": dependencies})

    assert result.returncode == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-2099-1" in result.stdout


def test_an_audit_of_every_package_with_none_vulnerable_is_clean(tmp_path):
    result = _audit(
        tmp_path, {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    )

    assert result.returncode == 0
    assert "Dependency audit: clean, 1 packages checked." in result.stdout
