"""Every credential field of every node type can be filled: its picker lists matching credentials.

The editor's credential picker asks `GET /api/v1/credentials?type=<t1>&type=<t2>…` with the
types the field's schema declares (`x-credential-types`, see frontend/src/api.ts
`credentialsPath`). Issue 16 item 1: the HTTP node asked for `http_auth`, which no
credential type was, so its picker was always empty.
"""

from __future__ import annotations

from typing import Any

import pytest

from integrations import services
from integrations.runtime import http_auth_for
from workflows.engine.credential_types import CREDENTIAL_TYPES, HTTP_AUTH_TYPES, credential_field, credential_fields
from workflows.engine.registry import NodeRegistry, NodeType

pytestmark = pytest.mark.django_db


def sample_fields(type_name: str) -> dict[str, Any]:
    """Valid fields for a credential type, made from its schema's required properties."""
    schema = CREDENTIAL_TYPES[type_name]
    fields: dict[str, Any] = {}
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        if "enum" in prop:
            fields[name] = prop["enum"][0]
        elif prop.get("format") == "uri":
            fields[name] = "https://llm.example.com/v1"
        elif prop.get("type") == "integer":
            fields[name] = prop.get("minimum", 1)
        else:
            fields[name] = f"{name}-value"
    return fields


def picker_path(types: list[str]) -> str:
    """The path frontend/src/api.ts `credentialsPath` builds."""
    return "/api/v1/credentials?" + "&".join([*(f"type={t}" for t in types), "limit=100"])


def node_credential_fields(alice_api) -> list[tuple[str, str, list[str]]]:
    node_types = alice_api.get("/api/v1/node-types").json()["data"]
    return [
        (node_type["type"], path, types)
        for node_type in node_types
        for path, types in credential_fields(node_type["config_schema"])
    ]


def test_every_node_credential_field_lists_a_saved_credential_of_each_accepted_type(alice_api, acme):
    fields = node_credential_fields(alice_api)
    assert {node_type for node_type, _, _ in fields} >= {"http.request", "trigger.webhook", "email.send", "ai.chat"}
    known = {item["type"] for item in alice_api.get("/api/v1/credential-types").json()["data"]}
    for node_type, path, types in fields:
        assert types, f"{node_type}.{path} accepts no credential type"
        assert set(types) <= known, f"{node_type}.{path} asks for {set(types) - known}, which no credential is"
        for type_name in types:
            credential = services.create_credential(
                acme.default_project,
                name=f"{node_type} {path} {type_name}",
                type=type_name,
                fields=sample_fields(type_name),
            )
            response = alice_api.get(picker_path(types))
            assert response.status_code == 200, response.content
            listed = {item["id"]: item["type"] for item in response.json()["data"]}
            assert listed.get(credential.id) == type_name, f"{node_type}.{path}: picker misses a {type_name} credential"
            assert set(listed.values()) <= set(types)


def test_every_credential_the_http_picker_offers_can_authenticate_a_request(acme):
    for type_name in HTTP_AUTH_TYPES:
        credential = services.create_credential(
            acme.default_project, name=f"http {type_name}", type=type_name, fields=sample_fields(type_name)
        )
        auth = http_auth_for(credential)
        assert auth.headers or auth.params, type_name


def test_the_picker_leaves_out_credentials_of_other_types(alice_api, acme):
    smtp = services.create_credential(acme.default_project, name="Mail", type="smtp", fields=sample_fields("smtp"))
    bearer = services.create_credential(acme.default_project, name="CRM", type="bearer", fields={"token": "t0ken"})
    listed = {item["id"] for item in alice_api.get(picker_path(list(HTTP_AUTH_TYPES))).json()["data"]}
    assert bearer.id in listed and smtp.id not in listed


def test_an_unknown_credential_type_in_the_filter_is_a_400_naming_it(alice_api):
    response = alice_api.get("/api/v1/credentials?type=http_auth")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "type"


def test_a_node_type_cannot_ask_for_a_credential_type_that_does_not_exist():
    with pytest.raises(ValueError, match="http_auth"):
        credential_field("http_auth")

    class Sneaky(NodeType):
        type = "test.sneaky"
        config_schema = {"type": "object", "properties": {"c": {"type": "string", "x-credential-types": ["http_auth"]}}}

    with pytest.raises(ValueError, match="unknown credential type"):
        NodeRegistry([Sneaky])
