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
