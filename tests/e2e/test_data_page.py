"""Issue 19 in the browser, as a new user tries it: upload a CSV of orders on the Data page (a
real progress bar), see the preview, correct a column's type, save, query the dataset with a
GROUP BY in the console, see the table, switch to the chart and count its bars; an Excel
workbook's other sheets are named as ignored; a bad file is refused with the API's message."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from datasets.models import Dataset
from tests.datasets.conftest import xlsx_bytes
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ORDERS = (
    b"Order ID,Customer,Customer code,Region,Total,Ordered on\r\n"
    b"1,Ada,0042,north,120.50,2026-10-03\r\n"
    b"2,Bob,0107,south,80.00,2026-10-04\r\n"
    b"3,Ada,0042,north,42.25,2026-10-05\r\n"
    b"4,Cleo,0311,east,300.00,2026-10-06\r\n"
    b"5,Bob,0107,south,19.75,2026-10-07\r\n"
    b"6,Dan,0400,west,55.00,2026-10-08\r\n"
)

DRAWN = """(canvas) => {
  const chart = window.Chart.getChart(canvas);
  return chart && {type: chart.config.type, labels: chart.data.labels, data: chart.data.datasets[0].data,
                   elements: chart.getDatasetMeta(0).data.length};
}"""


def choose_file(page, name: str, content: bytes, mime: str = "text/csv") -> None:
    page.get_by_label("File", exact=True).set_input_files({"name": name, "mimeType": mime, "buffer": content})


def test_upload_preview_fix_a_type_save_query_and_chart(server, page, alice, acme):
    log_in(page, server, alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data").click()
    page.get_by_role("link", name="Upload a file").click()

    page.get_by_label("Name", exact=True).fill("Orders")
    choose_file(page, "orders.csv", ORDERS)
    page.get_by_role("button", name="Upload and preview").click()
    progress = page.locator("#upload-progress")
    expect(progress).to_have_attribute("value", "100")
    preview = page.locator("[data-preview]")
    expect(preview).to_be_visible()
    expect(preview.locator("[data-preview-summary]")).to_have_text("6 rows · 6 columns · CSV, comma separated")
    expect(page.get_by_label("Delimiter")).to_have_value(",")
    expect(preview.locator("[data-preview-table] tbody tr")).to_have_count(6)
    code = page.get_by_label("Type of Customer code")
    expect(code).to_have_value("integer")  # read as a number: the leading zeros would be lost
    expect(page.get_by_label("Type of Total")).to_have_value("decimal")
    expect(page.get_by_label("Type of Ordered on")).to_have_value("date")
    code.select_option("text")
    page.get_by_role("button", name="Save dataset").click()

    page.wait_for_url(f"{server}/data/datasets/ds_*/")
    dataset = Dataset.objects.get(project=acme.default_project, name="Orders")
    assert {column["name"]: column["type"] for column in dataset.columns}["customer_code"] == "text"
    expect(page.locator('[data-columns] tr[data-column="customer_code"]')).to_contain_text("text")
    expect(page.locator("[data-rows] tbody")).to_contain_text("0042")
    expect(page.locator('[data-fact="rows"]')).to_have_text("6")

    page.get_by_role("link", name="Query", exact=True).click()
    expect(page.get_by_label("Connection or datasets")).to_contain_text("Datasets")
    page.get_by_label("SQL (SELECT only)").fill(
        "SELECT region, sum(total) AS revenue, count(*) AS orders FROM orders GROUP BY region ORDER BY region"
    )
    page.get_by_role("button", name="Run").click()
    result = page.locator("#console-result")
    expect(result.locator("[data-result-summary]")).to_contain_text("4 rows in")
    table = result.locator("[data-result-table]")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("thead th")).to_have_text(["region", "revenue", "orders"])
    expect(table.locator("tbody tr").first).to_contain_text("east")

    page.get_by_label("Chart", exact=True).check()
    canvas = page.locator("#console-chart")
    expect(canvas).to_be_visible()
    expect(page.get_by_label("Label column")).to_have_value("0")
    expect(page.get_by_label("Value column")).to_have_value("1")
    drawn = canvas.evaluate(DRAWN)
    assert drawn == {"type": "bar", "labels": ["east", "north", "south", "west"], "data": [300, 162.75, 99.75, 55],
                     "elements": 4}  # fmt: skip
    assert canvas.bounding_box()["height"] > 100

    page.get_by_label("Value column").select_option(label="orders")
    page.get_by_label("Chart type").select_option("line")
    drawn = canvas.evaluate(DRAWN)
    assert (drawn["type"], drawn["data"], drawn["elements"]) == ("line", [1, 2, 2, 1], 4)

    # By keyboard: Ctrl+Enter in the editor runs the next query; the chart follows the new result.
    sql = page.get_by_label("SQL (SELECT only)")
    sql.fill("SELECT customer, sum(total) AS spent FROM orders GROUP BY customer ORDER BY spent DESC")
    sql.press("Control+Enter")
    expect(result.locator("[data-result-summary]")).to_contain_text("4 rows in")
    expect(page.get_by_label("Value column")).to_have_value("1")
    page.wait_for_function(
        "() => window.Chart.getChart(document.querySelector('#console-chart')).data.labels[0] === 'Cleo'"
    )
    # A write is refused before it reaches the data, with the API's words.
    sql.fill("DELETE FROM orders")
    page.get_by_role("button", name="Run").click()
    expect(result.locator("[data-result-error]")).to_contain_text("Only reads are allowed")
    assert [error for error in page.console_errors if "status of 422" not in error] == []


def test_an_excel_workbook_notes_the_ignored_sheets_and_a_bad_file_is_refused_in_the_page(server, page, alice, acme):
    def build(workbook):
        sheet = workbook.active
        sheet.title = "Orders"
        sheet.append(["Customer", "Total"])
        sheet.append(["Ada", 120.5])
        sheet.append(["Bob", 80])
        workbook.create_sheet("Notes").append(["ignore me"])

    log_in(page, server, alice)
    page.goto(f"{server}/data/upload/")
    page.get_by_label("Name", exact=True).fill("Workbook")
    choose_file(
        page, "orders.xlsx", xlsx_bytes(build), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    page.get_by_role("button", name="Upload and preview").click()
    preview = page.locator("[data-preview]")
    expect(preview.locator("[data-preview-summary]")).to_have_text("2 rows · 2 columns · Excel workbook")
    expect(preview.locator("[data-preview-note]")).to_contain_text("other sheets ignored: Notes")
    expect(page.locator("[data-delimiter-box]")).to_be_hidden()
    page.get_by_role("button", name="Save dataset").click()
    page.wait_for_url(f"{server}/data/datasets/ds_*/")
    expect(page.locator("[data-note]")).to_contain_text("other sheets ignored: Notes")
    expect(page.locator('[data-fact="rows"]')).to_have_text("2")

    # Append a CSV with the same columns: the page reloads with three rows.
    page.get_by_label("File to append").set_input_files(
        {"name": "more.csv", "mimeType": "text/csv", "buffer": b"Customer,Total\nCleo,10.5\n"}
    )
    page.get_by_role("button", name="Append", exact=True).click()
    expect(page.locator('[data-fact="rows"]')).to_have_text("3")
    expect(page.locator("[data-rows] tbody")).to_contain_text("Cleo")
    # A ragged file to replace them: refused with its line, and the rows stay.
    page.get_by_label("File to replace the rows with").set_input_files(
        {"name": "ragged.csv", "mimeType": "text/csv", "buffer": b"Customer,Total\nDan,1\nEve,2,extra\n"}
    )
    page.get_by_role("button", name="Replace", exact=True).click()
    refused = page.locator("form[action$='/replace'] [data-upload-error]")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Line 3 has 3 columns")
    assert Dataset.objects.get(project=acme.default_project, name="Workbook").row_count == 3

    # Not UTF-8: the API's message (which byte, which line, re-save as UTF-8) is in the page; nothing stored.
    page.goto(f"{server}/data/upload/")
    page.get_by_label("Name", exact=True).fill("Latin")
    choose_file(page, "latin.csv", "name,city\nZoë,Köln\n".encode("latin-1"))
    page.get_by_role("button", name="Upload and preview").click()
    alert = page.locator("[data-upload-error]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("UTF-8")
    expect(page.locator("[data-preview]")).to_be_hidden()

    # A type the user forces that a value does not fit: refused on saving, with the row and column.
    page.get_by_label("Name", exact=True).fill("Forced")
    choose_file(page, "orders.csv", ORDERS)
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_label("Type of Customer", exact=True).select_option("integer")
    page.get_by_role("button", name="Save dataset").click()
    refusal = page.locator("[data-save-error]")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Customer")
    assert sorted(Dataset.objects.filter(project=acme.default_project).values_list("name", flat=True)) == ["Workbook"]
    # The browser logs each refused request (the 400s above); nothing else went wrong in the page.
    assert [error for error in page.console_errors if "status of 400" not in error] == []
