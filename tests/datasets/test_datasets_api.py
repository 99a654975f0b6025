"""The /datasets API: upload, preview, rows, download, rename, replace, append, delete, roles, limits."""

from __future__ import annotations

import pytest
from django.test import override_settings

from accounts.models import Role
from datasets.models import Dataset, DatasetData
from integrations.models import Connection
from tests.datasets.conftest import ORDERS_CSV, upload

pytestmark = pytest.mark.django_db


def test_upload_answers_columns_types_and_count_and_makes_the_datasets_connection(alice_api, orders, acme):
    assert orders["id"].startswith("ds_") and orders["table_name"] == "orders" and orders["row_count"] == 3
    assert [(c["name"], c["label"], c["type"]) for c in orders["columns"]] == [
        ("order_id", "Order ID", "integer"), ("customer", "Customer", "text"), ("total", "Total", "decimal"),
        ("status", "Status", "text"), ("created_at", "Created at", "timestamp"),
    ]  # fmt: skip
    [connection] = Connection.objects.filter(project=acme.default_project, kind="datasets")
    assert connection.name == "Datasets"
    listed = alice_api.get("/api/v1/datasets?sort=name").json()
    assert [d["id"] for d in listed["data"]] == [orders["id"]] and listed["meta"]["total"] == 1


def test_rows_are_objects_keyed_by_column_name_and_paged(alice_api, orders):
    page = alice_api.get(f"/api/v1/datasets/{orders['id']}/rows?limit=2&page=2").json()
    assert page["data"] == [
        {"order_id": 3, "customer": "Ada", "total": 42.25, "status": "paid", "created_at": "2026-10-05T11:00:00"}
    ]
    assert page["meta"]["total"] == 3 and page["meta"]["pages"] == 2
    assert alice_api.get(f"/api/v1/datasets/{orders['id']}/rows?limit=x").status_code == 400


def test_download_streams_csv_with_the_original_headers(alice_api, orders):
    response = alice_api.get(f"/api/v1/datasets/{orders['id']}/download")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("Order ID,Customer,Total,Status,Created at\r\n1,Ada,120.50,paid,2026-10-03T09:00:00\r\n")


def test_empty_strings_and_nulls_survive_the_round_trip(alice_api):
    created = upload(alice_api, "/datasets", b'a,b\n1,""\n2,\n', name="blanks").json()["data"]
    rows = alice_api.get(f"/api/v1/datasets/{created['id']}/rows").json()["data"]
    assert rows == [{"a": 1, "b": ""}, {"a": 2, "b": None}]
    body = b"".join(alice_api.get(f"/api/v1/datasets/{created['id']}/download").streaming_content)
    assert body == b'a,b\r\n1,""\r\n2,\r\n'


def test_preview_stores_nothing_and_types_can_be_corrected_before_saving(alice_api):
    csv = b"Day,Amount\n2024-01-01,1\n2024-01-02,2.5\n"
    preview = upload(alice_api, "/datasets/preview", csv)
    assert preview.status_code == 200, preview.content
    data = preview.json()["data"]
    assert [(c["name"], c["type"]) for c in data["columns"]] == [("day", "date"), ("amount", "decimal")]
    assert data["rows"][0] == {"day": "2024-01-01", "amount": "1"} and data["row_count"] == 2
    assert Dataset.objects.count() == 0
    created = upload(alice_api, "/datasets", csv, name="fixed", types='{"day": "text"}')
    assert created.status_code == 201 and created.json()["data"]["columns"][0]["type"] == "text"
    refused = upload(alice_api, "/datasets", csv, name="bad", types='{"amount": "integer"}')
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "TYPE_MISMATCH" and "Row 2, column amount" in error["message"]
    assert upload(alice_api, "/datasets", csv, name="bad", types="{nope").status_code == 400
    assert upload(alice_api, "/datasets", csv, name="bad", types='{"day": "money"}').status_code == 400
    assert Dataset.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "FILE_EMPTY"),
        ("a\nJosé\n".encode("latin-1"), "FILE_NOT_UTF8"),
        (b"a,b\n1,2\n3\n", "FILE_RAGGED"),
        (b"\xd0\xcf\x11\xe0", "FILE_FORMAT"),
    ],
)
def test_bad_files_are_400s_in_the_envelope_and_store_nothing(alice_api, content, code):
    response = upload(alice_api, "/datasets", content, name="bad")
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert Dataset.objects.count() == 0 and DatasetData.objects.count() == 0


def test_names_are_unique_per_project_and_rename_moves_the_table(alice_api, orders):
    again = upload(alice_api, "/datasets", ORDERS_CSV, name="Orders")
    assert again.status_code == 409 and again.json()["error"]["code"] == "CONFLICT"
    url = f"/api/v1/datasets/{orders['id']}"
    etag = alice_api.get(url)["ETag"]
    renamed = alice_api.patch(url, {"name": "Shop orders"}, format="json", HTTP_IF_MATCH=etag)
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["data"]["table_name"] == "shop_orders"
    stale = alice_api.patch(url, {"name": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


def test_replace_is_atomic_a_refused_file_leaves_the_old_rows(alice_api, orders):
    url = f"/api/v1/datasets/{orders['id']}"
    before = DatasetData.objects.get(pk=orders["id"]).sha256
    bad = upload(alice_api, f"/datasets/{orders['id']}/replace", b"x,y\n1,2\n3\n")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "FILE_RAGGED"
    assert DatasetData.objects.get(pk=orders["id"]).sha256 == before
    assert alice_api.get(url).json()["data"]["row_count"] == 3
    good = upload(alice_api, f"/datasets/{orders['id']}/replace", b"x,y\n1,2\n")
    assert good.status_code == 200 and good.json()["data"]["row_count"] == 1
    assert [c["name"] for c in good.json()["data"]["columns"]] == ["x", "y"]


def test_append_checks_the_columns_and_the_types(alice_api, orders):
    path = f"/datasets/{orders['id']}/append"
    mismatch = upload(alice_api, path, b"Order ID,Customer\n4,Eve\n")
    assert mismatch.status_code == 400 and mismatch.json()["error"]["code"] == "SCHEMA_MISMATCH"
    assert "missing total, status, created_at" in mismatch.json()["error"]["message"]
    wrong_type = upload(alice_api, path, b"Order ID,Customer,Total,Status,Created at\nfour,Eve,1,paid,2026-10-06\n")
    assert wrong_type.status_code == 400 and wrong_type.json()["error"]["code"] == "TYPE_MISMATCH"
    reordered = b"Customer,Order ID,Total,Status,Created at\nEve,4,1.125,paid,2026-10-06 08:00\n"
    added = upload(alice_api, path, reordered)
    assert added.status_code == 200, added.content
    assert added.json()["data"]["row_count"] == 4
    rows = alice_api.get(f"/api/v1/datasets/{orders['id']}/rows?offset=3").json()["data"]
    assert rows == [{"order_id": 4, "customer": "Eve", "total": 1.125, "status": "paid",
                     "created_at": "2026-10-06T08:00:00"}]  # fmt: skip


@override_settings(FLOWBUILDER_DATASET_MAX_BYTES=50 * 1024 * 1024)
def test_a_50_mb_file_is_accepted_and_one_byte_more_is_a_413(alice_api):
    limit = 50 * 1024 * 1024
    line = b"1234567,some text to fill the file up,2024-01-01\n"
    header = b"n,text,day\n"
    body = header + line * ((limit - len(header)) // len(line))
    last = b",x,2024-01-01\n"
    body += b"9" * (limit - len(body) - len(last)) + last  # a last row with a long number: exactly the limit
    assert len(body) == limit
    accepted = upload(alice_api, "/datasets", body, name="big")
    assert accepted.status_code == 201, accepted.content[:300]
    assert accepted.json()["data"]["size_bytes"] == limit
    refused = upload(alice_api, "/datasets", body + b"1", name="bigger")
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert Dataset.objects.filter(name="bigger").count() == 0


@override_settings(FLOWBUILDER_DATASET_MAX_BYTES=1000)
def test_a_content_length_far_over_the_limit_is_refused_before_reading(alice_api):
    response = alice_api.post(
        "/api/v1/datasets", data=b"x" * 10, content_type="multipart/form-data; boundary=b",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413


def test_viewers_read_editors_write_and_other_projects_see_nothing(acme, make_key, api_client_for, charlie_api,
                                                                  orders):  # fmt: skip
    viewer = api_client_for(make_key(acme, Role.VIEWER)[1])
    assert viewer.get(f"/api/v1/datasets/{orders['id']}/rows").status_code == 200
    assert upload(viewer, "/datasets", ORDERS_CSV, name="mine").status_code == 403
    assert viewer.delete(f"/api/v1/datasets/{orders['id']}").status_code == 403
    editor = api_client_for(make_key(acme, Role.EDITOR)[1])
    assert upload(editor, "/datasets", ORDERS_CSV, name="mine").status_code == 201
    assert charlie_api.get(f"/api/v1/datasets/{orders['id']}").status_code == 404
    assert charlie_api.get("/api/v1/datasets").json()["data"] == []
    assert editor.delete(f"/api/v1/datasets/{orders['id']}").status_code == 204
    assert DatasetData.objects.filter(pk=orders["id"]).count() == 0


def test_the_built_in_connection_cannot_be_created_by_hand(alice_api):
    response = alice_api.post("/api/v1/connections", {"name": "x", "kind": "datasets"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["field"] == "kind"


def test_excel_upload_notes_the_ignored_sheets(alice_api):
    from tests.datasets.test_parsing import _sheets, xlsx_bytes

    response = upload(alice_api, "/datasets", xlsx_bytes(_sheets), filename="orders.xlsx", name="xl")
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["source_format"] == "xlsx" and "other sheets ignored: Notes, Archive" in data["notes"][0]


def test_the_built_in_connection_stays_but_its_limits_can_change(alice_api, orders, acme):
    connection = Connection.objects.get(project=acme.default_project, kind="datasets")
    url = f"/api/v1/connections/{connection.id}"
    response = alice_api.delete(url)
    assert response.status_code == 409 and response.json()["error"]["code"] == "CONFLICT"
    changed = alice_api.patch(url, {"row_limit": 2, "name": "Spreadsheets"}, format="json")
    assert changed.status_code == 200, changed.content
    answer = alice_api.post(f"{url}/query", {"sql": "SELECT * FROM orders"}, format="json").json()["data"]
    assert answer["row_count"] == 2 and answer["truncated"] is True
    test = alice_api.post(f"{url}/test").json()["data"]
    assert test["ok"] is True and test["message"] == "Ready; 1 dataset to query."


@pytest.mark.parametrize(
    ("name", "status", "table"),
    [
        ("'; DROP TABLE orders; --", 201, "drop_table_orders"),
        ('Robert"); DROP', 201, "robert_drop"),
        ("🙂🙂", 201, "dataset"),
        ("select", 201, "select_"),
        ("x" * 201, 400, None),
        ("", 400, None),
        ("nul\x00name", 400, None),
    ],
)
def test_hostile_dataset_names(alice_api, name, status, table):
    response = upload(alice_api, "/datasets", b"a\n1\n", name=name)
    assert response.status_code == status, response.content
    if table:
        assert response.json()["data"]["table_name"] == table


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"delimiter": "|"}, "VALIDATION_ERROR"),
        ({"delimiter": ",,"}, "VALIDATION_ERROR"),
        ({"types": "[]"}, "VALIDATION_ERROR"),
        ({"types": '{"a": null}'}, "VALIDATION_ERROR"),
        ({"types": '{"a": "integer", "b": "text"}'}, "VALIDATION_ERROR"),
        ({"types": "1e999"}, "VALIDATION_ERROR"),
    ],
)
def test_hostile_upload_fields_are_400s(alice_api, fields, code):
    response = upload(alice_api, "/datasets", b"a\n1\n", name="x", **fields)
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert Dataset.objects.count() == 0


def test_an_upload_without_a_file_is_a_400(alice_api):
    response = alice_api.post("/api/v1/datasets", {"name": "x"}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["field"] == "file"
    assert alice_api.post("/api/v1/datasets", {"name": "x"}, format="json").status_code == 415


def test_hostile_cells_are_kept_as_text(alice_api):
    content = b'=HYPERLINK("http://x"),"<script>",\x01\n1,2,3\n'
    response = upload(alice_api, "/datasets", content, name="cells")
    assert response.status_code == 201, response.content
    labels = [c["label"] for c in response.json()["data"]["columns"]]
    assert labels == ['=HYPERLINK("http://x")', "<script>", "\x01"]
    nul = upload(alice_api, "/datasets", b'a,b\n1,"x\x00y"\n', name="nul")
    assert nul.status_code == 400 and nul.json()["error"]["details"] == {"byte": 8, "line": 2}
    utf16 = upload(alice_api, "/datasets", "a,b\n1,2\n".encode("utf-16"), name="utf16")
    assert utf16.status_code == 400 and utf16.json()["error"]["code"] in ("FILE_NOT_UTF8", "FILE_FORMAT")
