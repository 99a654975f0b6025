import pytest
from django.test import Client
from openapi_spec_validator import validate


def test_the_schema_is_valid_openapi_3(db):
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_describes_the_envelope_and_errors(db):
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "Error" in schema["components"]["schemas"]
    operation = schema["paths"]["/api/v1/api-keys"]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[-1]]
    assert set(page["properties"]) == {"success", "data", "meta"}
    assert operation["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    created = schema["paths"]["/api/v1/api-keys"]["post"]["responses"]["201"]
    assert "data" in created["content"]["application/json"]["schema"]["properties"]


def test_the_docs_page_is_served(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


@pytest.mark.parametrize("path", ["/api/v1/workflows", "/api/v1/executions", "/api/v1/integrations"])
def test_every_list_is_described_as_a_page_with_meta_and_its_filters(db, path):
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"][path]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[-1]]
    assert set(page["required"]) == {"success", "data", "meta"} and page["properties"]["data"]["type"] == "array"
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"page", "limit", "offset"} <= names
