"""The SDK's generated models match the live schema, and its namespaces reach every operation."""

from __future__ import annotations

import difflib
import importlib.util
import re

import pytest
from django.test import Client
from flowbuilder_sdk import models
from flowbuilder_sdk.resources import catalog

from tests.sdk.conftest import SDK_ROOT

GENERATED = SDK_ROOT / "src" / "flowbuilder_sdk" / "models.py"
ASYNC_TYPES = SDK_ROOT / "src" / "flowbuilder_sdk" / "_async_types.py"
RESOURCES = SDK_ROOT / "src" / "flowbuilder_sdk" / "resources"
CRUD_SUFFIXES = ("list", "create", "retrieve", "partial_update", "destroy")


def load_generator(name: str = "generate_models"):
    spec = importlib.util.spec_from_file_location(name, SDK_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def live_schema(db) -> dict:
    return Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def test_the_committed_models_are_what_the_live_schema_generates(live_schema):
    expected = load_generator().generate(live_schema)
    committed = GENERATED.read_text()
    if committed != expected:
        lines = difflib.unified_diff(committed.splitlines(True), expected.splitlines(True), "committed", "schema")
        diff = "".join(list(lines)[:40])
        pytest.fail(f"sdk/python models drifted from /api/v1/schema/; regenerate with `make sdk-generate`.\n{diff}")


def test_the_committed_async_types_are_what_the_namespaces_generate():
    expected = load_generator("generate_async_types").generate()
    if ASYNC_TYPES.read_text() != expected:
        pytest.fail("sdk/python _async_types.py differs from the namespaces; regenerate with `make sdk-generate`.")


def operations_the_sdk_calls() -> set[str]:
    called: set[str] = set()
    for source in RESOURCES.glob("*.py"):
        called |= set(re.findall(r'"([a-z_]+)"', source.read_text())) & set(models.OPERATIONS)
    for resource in vars(catalog).values():
        prefix = getattr(resource, "prefix", None)
        if isinstance(prefix, str):
            called |= {f"{prefix}_{suffix}" for suffix in CRUD_SUFFIXES}
    return called


def test_every_operation_of_the_schema_has_a_method(live_schema):
    in_schema = {op["operationId"] for item in live_schema["paths"].values() for op in item.values()
                 if isinstance(op, dict) and "operationId" in op}  # fmt: skip
    assert in_schema == set(models.OPERATIONS)
    missing = in_schema - operations_the_sdk_calls()
    assert not missing, f"no SDK method calls {sorted(missing)}"
