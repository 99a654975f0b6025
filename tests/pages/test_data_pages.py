"""The Data pages (issue 19): connections and datasets side by side, the query console, the
upload page; who sees what, and the navigation link."""

from __future__ import annotations

import re

import pytest

from datasets.models import Dataset
from integrations.models import Connection
from integrations.services import create_connection
from tests.datasets.conftest import ORDERS_CSV, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouse(acme):
    values = {"name": "Warehouse", "host": "db.example.com", "port": 5432, "database": "shop", "username": "reader"}
    return create_connection(acme.default_project, kind="postgresql", values=values, password="")


@pytest.fixture
def crm(acme):
    return create_connection(
        acme.default_project, kind="rest", values={"name": "CRM", "base_url": "https://example.com"}
    )


def html(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def row_of(page: str, attribute: str, value: str) -> str:
    found = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', page, re.S)
    assert found, f"no row {attribute}={value}"
    return found.group(1)


def test_the_main_navigation_links_the_data_page(alice, page_client_for):
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html(page_client_for(alice).get("/")), re.S).group(1)
    assert '<a href="/data/">Data</a>' in nav


def test_the_data_page_lists_connections_with_a_query_link_for_databases_only(alice, page_client_for, warehouse, crm):
    page = html(page_client_for(alice).get("/data/"))
    database = row_of(page, "data-connection", warehouse.id)
    assert "PostgreSQL" in database and "db.example.com:5432/shop" in database
    assert f'href="/data/query/?connection={warehouse.id}"' in database
    assert "Query" not in row_of(page, "data-connection", crm.id)
    assert 'data-list="datasets"' in page
    assert 'href="/data/upload/" data-action="upload"' in page


def test_a_viewer_sees_the_lists_but_no_upload(bob_viewer, page_client_for, warehouse):
    client = page_client_for(bob_viewer)
    page = html(client.get("/data/"))
    assert 'data-action="upload"' not in page
    assert f'data-connection="{warehouse.id}"' in page
    assert client.get("/data/upload/").status_code == 403


def test_outsiders_see_nothing_of_acme(charlie, page_client_for, warehouse):
    page = html(page_client_for(charlie).get("/data/"))
    assert "data-connection=" not in page and "Warehouse" not in page


def test_the_console_offers_database_connections_and_picks_the_one_asked_for(
    alice, page_client_for, warehouse, crm, acme
):
    values = {"name": "Archive", "host": "db2.example.com", "database": "old", "username": "reader"}
    other = create_connection(acme.default_project, kind="mysql", values=values, password="")
    page = html(page_client_for(alice).get(f"/data/query/?connection={warehouse.id}&sql=SELECT%201"))
    options = re.findall(
        r'<option value="([^"]+)"( selected)?>', page.split('id="console-source"')[1].split("</select>")[0]
    )
    assert options == [(other.id, ""), (warehouse.id, " selected")]  # by name; no REST API
    assert re.search(r'<textarea id="console-sql"[^>]*>SELECT 1</textarea>', page)
    assert 'data-api="/api/v1/connections/CONNECTION/query"' in page
    assert f'data-project="{acme.default_project.id}"' in page and 'data-csrf="' in page
    assert '<label for="console-sql">' in page and '<label for="chart-value">' in page
    assert 'data-action="run"' in page


@pytest.mark.parametrize("asked", ["", "conn_nope", "<script>", "' OR 1=1", "\x00"])
def test_an_unknown_connection_falls_back_to_the_first(alice, page_client_for, warehouse, asked):
    page = html(page_client_for(alice).get("/data/query/", {"connection": asked}))
    assert f'<option value="{warehouse.id}" selected>' in page
    assert "<script>" not in page.split('id="console-source"')[1].split("</select>")[0]


def test_the_sql_asked_for_is_escaped(alice, page_client_for, warehouse):
    page = html(page_client_for(alice).get("/data/query/", {"sql": "SELECT '</textarea><script>x</script>'"}))
    assert "<script>x</script>" not in page


def test_the_console_for_a_viewer_has_no_run_button(bob_viewer, page_client_for, warehouse):
    page = html(page_client_for(bob_viewer).get("/data/query/"))
    assert 'data-action="run"' not in page and "editor role" in page


def test_the_console_with_nothing_to_query_says_what_to_do(alice, page_client_for, crm):
    page = html(page_client_for(alice).get("/data/query/"))
    assert "data-console" not in page and "add a database" in page


# --- With datasets --------------------------------------------------------------------------


@pytest.fixture
def orders(alice_api):
    response = upload(alice_api, "/datasets", ORDERS_CSV, name="Orders")
    assert response.status_code == 201, response.content
    return Dataset.objects.get(pk=response.json()["data"]["id"])


def test_the_data_page_lists_datasets_beside_the_builtin_connection(alice, page_client_for, orders):
    page = html(page_client_for(alice).get("/data/"))
    row = row_of(page, "data-dataset", orders.id)
    assert f'href="/data/datasets/{orders.id}/"' in row and ">Orders<" in row
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["3", "5"]  # rows, columns
    assert "CSV" in row
    builtin = Connection.objects.get(project=orders.project, kind="datasets")
    assert "built in" in row_of(page, "data-connection", builtin.id)
    assert f'href="/data/query/?connection={builtin.id}">Query datasets' in page


def test_the_dataset_page_shows_columns_types_and_rows(alice, page_client_for, orders):
    page = html(page_client_for(alice).get(f"/data/datasets/{orders.id}/"))
    assert row_of(page, "data-column", "order_id").count("integer") == 1
    assert "Order ID" in row_of(page, "data-column", "order_id")
    assert "decimal" in row_of(page, "data-column", "total")
    assert "timestamp" in row_of(page, "data-column", "created_at")
    rows = page.split("data-rows")[1].split("</table>")[0]
    assert rows.count("<tr>") == 4 and "Ada" in rows and "120.5" in rows
    assert f'href="/api/v1/datasets/{orders.id}/download"' in page
    assert f'action="/api/v1/datasets/{orders.id}/replace"' in page
    assert f'action="/api/v1/datasets/{orders.id}/append"' in page
    assert "sql=SELECT%20%2A%20FROM%20orders%20LIMIT%20100" in page


def test_the_dataset_page_pages_its_rows(alice, alice_api, page_client_for):
    content = b"n,word\n" + b"".join(f"{n},w{n}\n".encode() for n in range(1, 121))
    created = upload(alice_api, "/datasets", content, name="Numbers").json()["data"]
    client = page_client_for(alice)
    second = html(client.get(f"/data/datasets/{created['id']}/", {"page": 2}))
    body = second.split("data-rows")[1].split("</table>")[0]
    assert "<td>51</td>" in body and "<td>100</td>" in body and "<td>50</td>" not in body
    assert "Page 2 of 3" in second and 'rel="prev"' in second and 'rel="next"' in second
    for odd in ("0", "-1", "999", "abc", "\x00"):  # a page past the end or no number: still a page
        assert client.get(f"/data/datasets/{created['id']}/", {"page": odd}).status_code == 200


def test_a_viewer_reads_a_dataset_but_cannot_change_it(bob_viewer, page_client_for, orders):
    client = page_client_for(bob_viewer)
    page = html(client.get(f"/data/datasets/{orders.id}/"))
    assert 'data-action="replace"' not in page and 'data-action="delete"' not in page
    assert client.post(f"/data/datasets/{orders.id}/delete/").status_code == 403
    assert Dataset.objects.filter(pk=orders.id).exists()


def test_an_outsider_gets_a_404_for_the_dataset(charlie, page_client_for, orders):
    assert page_client_for(charlie).get(f"/data/datasets/{orders.id}/").status_code == 404
    assert page_client_for(charlie).post(f"/data/datasets/{orders.id}/delete/").status_code == 404


def test_deleting_from_the_page_removes_the_dataset(alice, page_client_for, orders):
    response = page_client_for(alice).post(f"/data/datasets/{orders.id}/delete/")
    assert response.status_code == 302 and response["Location"] == "/data/"
    assert not Dataset.objects.filter(pk=orders.id).exists()


def test_the_upload_page_names_the_api_and_the_limit(alice, page_client_for, settings):
    settings.FLOWBUILDER_DATASET_MAX_BYTES = 50 * 1024 * 1024
    page = html(page_client_for(alice).get("/data/upload/"))
    assert 'data-preview-url="/api/v1/datasets/preview"' in page and 'data-create-url="/api/v1/datasets"' in page
    assert 'data-done-url="/data/datasets/DATASET/"' in page
    assert "up to 50 MB" in page
    assert '<label for="upload-file">' in page and '<label for="upload-delimiter">' in page
    assert "<progress" in page


def test_the_builtin_datasets_connection_cannot_be_deleted_from_the_connections_page(alice, page_client_for, orders):
    builtin = Connection.objects.get(project=orders.project, kind="datasets")
    client = page_client_for(alice)
    page = html(client.get("/connections/"))
    assert f'action="/connections/{builtin.id}/delete/"' not in page  # no Delete button for it
    response = client.post(f"/connections/{builtin.id}/delete/", follow=True)
    assert response.status_code == 200  # was a 500: the service's ConflictError went unhandled
    assert "built in and stays" in response.content.decode()
    assert Connection.objects.filter(pk=builtin.id).exists()
