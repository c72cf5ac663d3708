"""Dependencies point down: a lower app never imports a higher one.

The consent app does not import the public app (withdrawn media consent takes photos down
through the `consent_recorded` hook that public/privacy.py answers), and the audit log does not
import the people app (current names come through the `current_names` hook of
people/privacy.py); nor does lib import an app above accounts, nor any app the home page. Every
import is read, at the top of a file or inside a function: an import hidden in a function is
still a dependency. Tests are left out (they build a world from every app).
"""

import ast
from pathlib import Path

import pytest

from minipolice.lib.privacy import hooks

ROOT = Path(__file__).resolve().parent.parent / "minipolice"

# app: the apps above it that it must never import
NEVER = {
    "consent": {"public", "events"},
    "audit": {"people", "organisations", "consent", "delivery", "community", "public"},
    "accounts": {"people", "organisations", "consent", "delivery", "community", "public"},
    "lib": {"people", "organisations", "consent", "delivery", "community", "public", "audit"},
}
EVERY_APP = sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imports_of(app: str) -> dict[str, set[str]]:
    """The minipolice apps each source file of `app` imports (tests and migrations aside)."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        apps = {
            name.split(".")[1]
            for name in imported_modules(path)
            if name.startswith("minipolice.") and name.count(".") >= 1
        }
        found[str(path.relative_to(ROOT.parent))] = apps - {app}
    return found


def test_the_reader_sees_a_hidden_import(tmp_path):
    """The check itself: an import inside a function counts."""
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from minipolice.public.services import x\n")
    assert imported_modules(path) >= {"minipolice.public.services", "minipolice.public.services.x"}


@pytest.mark.parametrize("app", sorted(NEVER))
def test_lower_app_never_imports_a_higher_one(app):
    wrong = {
        path: sorted(apps & NEVER[app])
        for path, apps in imports_of(app).items()
        if apps & NEVER[app]
    }
    assert not wrong, f"{app} imports apps above it: {wrong}"


@pytest.mark.parametrize("app", [a for a in EVERY_APP if a not in ("home",)])
def test_no_app_imports_the_home_page(app):
    wrong = [path for path, apps in imports_of(app).items() if "home" in apps]
    assert not wrong, f"the home page is the top floor; imported by {wrong}"


@pytest.mark.parametrize(
    "name, module, answered_by",
    [
        # The public app takes the photos down first; then stored impact reports that printed
        # them lose their PDF.
        (
            "consent_recorded",
            "privacy",
            ["minipolice.public.privacy", "minipolice.reports.privacy"],
        ),
        ("current_names", "privacy", ["minipolice.people.privacy"]),
        ("guardian_email_changed", "privacy", ["minipolice.consent.privacy"]),
        (
            "housekeeping",
            "tasks",
            [
                "minipolice.people.tasks",
                "minipolice.consent.tasks",
                "minipolice.impact.tasks",
                "minipolice.reports.tasks",
            ],
        ),
        ("email_message", "emails", ["minipolice.events.emails"]),
    ],
)
def test_each_hook_that_replaces_an_import_is_answered_once(name, module, answered_by):
    """The behaviour behind them is tested where it shows (public/tests/test_stories.py,
    audit/tests/test_audit_labels.py, people/tests/test_guardian_email_change.py,
    consent/tests/test_worker.py); here, that each is answered by the app that should."""
    assert [function.__module__ for function in hooks(name, module=module)] == answered_by
