"""A client generated from /api/v1/schema/ by a standard generator works without hand edits.

openapi-python-client (offline: it reads the schema file) writes a package into tmp_path; the
test imports it and drives workflows and executions through it against a live server:
list, create, get, update, execute, get the execution, list executions, delete. The client
raises on any status the schema does not document, and parses every answer into its models,
so a schema that lies about a shape or a status fails here.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import Role
from tests.workflows.conftest import simple_flow

PACKAGE = "flowbuilder_client"


@pytest.fixture
def generated_client(db, tmp_path):
    """The generated package, importable for this test only."""
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    (tmp_path / "config.yaml").write_text(
        f"post_hooks: []\nproject_name_override: {PACKAGE}\npackage_name_override: {PACKAGE}\n"
    )
    generator = Path(sys.executable).parent / "openapi-python-client"
    command = [str(generator), "generate", "--path", "schema.json", "--config", "config.yaml",
               "--meta", "none", "--output-path", PACKAGE]  # fmt: skip
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True, timeout=300)
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def api(name: str):
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def model(name: str):
    return getattr(importlib.import_module(f"{PACKAGE}.models"), name)


def test_a_generated_client_drives_workflows_and_executions(live_server, generated_client, acme, alice, make_key):
    _, plaintext = make_key(acme, Role.ADMIN)
    client = generated_client.AuthenticatedClient(
        base_url=live_server.url, token=plaintext, raise_on_unexpected_status=True
    )
    body = model("WorkflowWriteRequest").from_dict({"name": "Lead alert", "description": "new", **simple_flow()})

    created = api("workflows.workflows_create").sync(client=client, body=body)
    workflow_id = created.data.id
    assert created.success is True and created.data.status == "draft"

    listed = api("workflows.workflows_list").sync(client=client)
    assert [item.id for item in listed.data] == [workflow_id] and listed.meta.total == 1

    fetched = api("workflows.workflows_retrieve").sync(workflow_id, client=client)
    assert fetched.data.name == "Lead alert"

    patch = model("PatchedWorkflowWriteRequest").from_dict({"description": "changed"})
    updated = api("workflows.workflows_partial_update").sync(workflow_id, client=client, body=patch)
    assert updated.data.description == "changed"

    run = model("ExecuteRequest").from_dict({"input": {"name": "Ada"}, "version": "draft"})
    started = api("workflows.workflows_execute_create").sync(workflow_id, client=client, body=run)
    execution_id = started.data.execution_id

    execution = api("executions.executions_retrieve").sync(execution_id, client=client)
    assert execution.data.id == execution_id and execution.data.workflow_id == workflow_id

    executions = api("executions.executions_list").sync(client=client)
    assert [item.id for item in executions.data] == [execution_id]

    deleted = api("workflows.workflows_destroy").sync_detailed(workflow_id, client=client)
    assert deleted.status_code == 204
    missing = api("workflows.workflows_retrieve").sync(workflow_id, client=client)
    assert missing.success is False and missing.error.code == "WORKFLOW_NOT_FOUND"
