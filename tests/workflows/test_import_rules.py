"""Apps import downward only: workflows never imports the apps built on it (forms, webhooks).

They hear about workflow events through signals (`workflow_published`,
`workflows.terminal.execution_ended`) and the scheduler's task list, connected in their own
`ready()`. An import the other way would make the two apps one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import workflows

FORBIDDEN = ("forms_app", "webhooks")
WORKFLOWS_DIR = Path(workflows.__file__).parent


def imported_roots(path: Path) -> set[str]:
    """Every top-level package a module imports, at the top or inside a function."""
    roots: set[str] = set()
    for stmt in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(stmt, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            roots.add(stmt.module.split(".")[0])
        elif isinstance(stmt, ast.Call) and getattr(stmt.func, "id", getattr(stmt.func, "attr", "")) in (
            "import_module",
            "import_string",
            "__import__",
        ):
            roots.update(
                arg.value.split(".")[0]
                for arg in stmt.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return roots


def test_it_finds_the_workflows_modules_to_scan():
    modules = list(WORKFLOWS_DIR.rglob("*.py"))
    assert len(modules) >= 40
    assert {"jobs.py", "services.py", "scheduler.py"} <= {path.name for path in modules}


def test_no_workflows_module_imports_forms_app_or_webhooks():
    offenders = {
        str(path.relative_to(WORKFLOWS_DIR)): sorted(imported_roots(path) & set(FORBIDDEN))
        for path in WORKFLOWS_DIR.rglob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_rule_catches_a_lazy_import(tmp_path):
    module = tmp_path / "sneaky.py"
    module.write_text("def f():\n    from webhooks.services import emit_event\n    import forms_app.signals\n")
    assert imported_roots(module) & set(FORBIDDEN) == {"webhooks", "forms_app"}
