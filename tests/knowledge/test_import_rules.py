"""The knowledge app sits low: it imports accounts (and flowbuilder's helpers) only, never chat or
workflows; integrations (where ai.chat lives) never imports it and reaches it through the run's
services (D26b)."""

from __future__ import annotations

from pathlib import Path

import integrations
import knowledge
from tests.workflows.test_import_rules import imported_roots

PROJECT_APPS = {"accounts", "chat", "dashboards", "forms_app", "functions_app", "graphql_api", "integrations",
                "knowledge", "webhooks", "workflows", "flowbuilder"}  # fmt: skip


def modules(package) -> list[Path]:
    return [path for path in Path(package.__file__).parent.rglob("*.py") if "migrations" not in path.parts]


def test_knowledge_imports_only_accounts_and_flowbuilder():
    found = {path.name: imported_roots(path) & PROJECT_APPS - {"knowledge"} for path in modules(knowledge)}
    assert len(found) > 8
    assert {name: roots for name, roots in found.items() if roots - {"accounts", "flowbuilder"}} == {}


def test_integrations_never_imports_knowledge():
    assert [path.name for path in modules(integrations) if "knowledge" in imported_roots(path)] == []
