"""graphql_api is a layer on top: the apps never import it (only the project's urls and routing do)."""

from __future__ import annotations

from pathlib import Path

from tests.workflows.test_import_rules import imported_roots

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "workflows", "integrations", "functions_app", "forms_app", "webhooks", "flowbuilder")
ALLOWED = {"flowbuilder/urls.py", "flowbuilder/routing.py"}


def test_no_app_imports_graphql_api():
    modules = [path for app in APPS for path in (ROOT / app).rglob("*.py")]
    assert len(modules) > 100
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules
        if "graphql_api" in imported_roots(path) and str(path.relative_to(ROOT)) not in ALLOWED
    ]
    assert offenders == []
