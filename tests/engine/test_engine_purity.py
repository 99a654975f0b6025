"""The engine must stay importable without Django, RQ or Channels."""

from __future__ import annotations

import ast
from pathlib import Path

import workflows.engine

FORBIDDEN = ("django", "rq", "channels")
ENGINE_DIR = Path(workflows.engine.__file__).parent


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for stmt in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(stmt, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            roots.add(stmt.module.split(".")[0])
    return roots


def test_it_finds_the_engine_modules_to_scan():
    modules = list(ENGINE_DIR.rglob("*.py"))
    assert len(modules) >= 10


def test_no_engine_module_imports_django_rq_or_channels():
    offenders = {
        str(path.relative_to(ENGINE_DIR)): sorted(_imported_roots(path) & set(FORBIDDEN))
        for path in ENGINE_DIR.rglob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}
