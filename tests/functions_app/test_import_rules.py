"""functions_app sits between integrations and workflows: it may use the pure engine, never the
workflows app around it (which calls functions through the host it hands the engine)."""

from __future__ import annotations

import ast
from pathlib import Path

import functions_app

APP_DIR = Path(functions_app.__file__).parent


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for stmt in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(stmt, ast.Import):
            found.update(alias.name for alias in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            found.add(stmt.module)
    return found


def test_functions_app_imports_only_the_pure_engine_of_workflows():
    offenders = {}
    for path in APP_DIR.rglob("*.py"):
        bad = sorted(
            name for name in imported_modules(path)
            if (name.startswith("workflows") and not name.startswith("workflows.engine"))
            or name.split(".")[0] in ("forms_app", "webhooks")
        )  # fmt: skip
        if bad:
            offenders[str(path.relative_to(APP_DIR))] = bad
    assert offenders == {}


def test_the_sandbox_boot_uses_the_standard_library_only():
    allowed = {"io", "json", "os", "resource", "sys", "traceback"}
    assert imported_modules(APP_DIR / "sandbox_boot.py") <= allowed
