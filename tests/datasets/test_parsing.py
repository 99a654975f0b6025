"""The parsing corpus: odd and hostile files, each read right or refused with a plain reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from datasets import inference, storage
from datasets.columns import column_names
from datasets.parsing import FileRefused, read_table
from tests.datasets.conftest import xlsx_bytes


def cells(data: bytes, **options) -> tuple[list[str], list[list]]:
    table = read_table(data, **options)
    return table.labels, [list(row) for row in zip(*(c.to_pylist() for c in table.columns), strict=True)]


def refused(data: bytes, **options) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        read_table(data, **options)
    return caught.value


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        (b'a,b\n"x, y","he said ""hi"""\n', [["x, y", 'he said "hi"']]),  # delimiters and quotes inside quotes
        (b'a,b\r\n1,"two\r\nlines"\r\n', [["1", "two\r\nlines"]]),  # CRLF and an embedded newline
        (b"\xef\xbb\xbfa,b\n1,2\n", [["1", "2"]]),  # BOM
        (b"a;b\n1,5;2\n", [["1,5", "2"]]),  # semicolons (a decimal comma stays text)
        (b"a\tb\n1\t2\n", [["1", "2"]]),  # tab
        (b'a,b,c\n,"",x\n', [[None, "", "x"]]),  # empty field is NULL, "" the empty string
        ("név,城市\nÁrvíztűrő,東京 🚀\n".encode(), [["Árvíztűrő", "東京 🚀"]]),  # unicode
        (b"a,b\n1,2\n\n3,4\n", [["1", "2"], ["3", "4"]]),  # blank lines skipped
        (b"a,b\n1,2", [["1", "2"]]),  # no newline at the end
        (b"a,b\n", []),  # header only: no rows
    ],
)
def test_csv_corpus(data, rows):
    assert cells(data)[1] == rows


def test_the_detected_delimiter_can_be_overridden():
    assert read_table(b"a;b\n1;2\n").delimiter == ";"
    labels, rows = cells(b"a;b,c\n1;2,3\n", delimiter=",")
    assert labels == ["a;b", "c"] and rows == [["1;2", "3"]]


def test_a_wide_file_of_500_columns():
    header = ",".join(f"Col {i}" for i in range(500))
    labels, rows = cells(f"{header}\n{','.join(str(i) for i in range(500))}\n".encode())
    assert len(labels) == 500 and rows[0][499] == "499"
    assert column_names(labels)[499] == "col_499"


def test_ragged_rows_name_the_line_and_both_counts():
    error = refused(b'a,b,c\n1,2,3\n"multi\nline",2,3\n4,5\n')
    assert error.code == "FILE_RAGGED"
    assert error.details == {"line": 5, "expected_columns": 3, "actual_columns": 2}
    assert "Line 5 has 2 columns; the header has 3" in error.message


def test_not_utf8_names_the_byte_and_line_and_says_how_to_fix():
    error = refused("name\nAda\nJosé\n".encode("latin-1"))
    assert error.code == "FILE_NOT_UTF8" and error.details == {"byte": 12, "line": 3}
    assert "UTF-8" in error.message and "0xe9" in error.message


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_an_empty_file_is_refused(data):
    assert refused(data).code == "FILE_EMPTY"


def test_old_excel_and_broken_workbooks_are_refused():
    assert refused(b"\xd0\xcf\x11\xe0rest", filename="x.xls").code == "FILE_FORMAT"
    assert refused(b"PK\x03\x04broken", filename="x.xlsx").code == "FILE_FORMAT"


def test_column_names_are_unique_sql_safe_and_keep_the_label():
    labels = ["Order ID", "order id", "", "2024", "select", "Größe €", "x" * 80, "  "]
    names = column_names(labels)
    assert names[:6] == ["order_id", "order_id_2", "column_3", "c_2024", "select_", "grosse"]
    assert len(names[6]) <= 63 and names[7] == "column_8" and len(set(names)) == len(names)


def test_types_are_inferred_over_the_whole_column():
    data = (
        b"i,d,b,day,ts,t,late\n1,1.5,yes,2024-01-31,2024-01-31 09:30,x,1\n-2,2,No,2024-02-29,2024-01-31T09:30:00.5,,2\n"
    )
    data += b"3,,TRUE,,,y,oops\n"
    typed = storage.typed_table(read_table(data))
    assert [c["type"] for c in typed.columns] == ["integer", "decimal", "boolean", "date", "timestamp", "text", "text"]
    rows = typed.table.to_pylist()
    assert rows[0]["d"] == Decimal("1.5") and rows[1]["b"] is False and rows[2]["b"] is True
    assert rows[1]["day"] == dt.date(2024, 2, 29) and rows[2]["day"] is None
    assert rows[1]["ts"] == dt.datetime(2024, 1, 31, 9, 30, 0, 500000)


def test_a_forced_type_that_a_value_does_not_fit_names_row_and_column():
    text = read_table(b"Order Date,n\n2024-01-01,1\n31/12/2024,2\n")
    assert storage.typed_table(text).columns[0]["type"] == "text"
    with pytest.raises(FileRefused) as caught:
        storage.typed_table(text, {"order_date": "date"})
    assert caught.value.code == "TYPE_MISMATCH" and caught.value.details == {"row": 2, "column": "order_date"}
    assert "'31/12/2024' is not a date as YYYY-MM-DD" in caught.value.message
    with pytest.raises(FileRefused):
        storage.typed_table(text, {"nope": "date"})
    assert storage.typed_table(text, {"n": "text"}).columns[1]["type"] == "text"


def test_integers_past_64_bits_are_decimals_and_zoned_times_are_utc():
    text = read_table(b"big,at\n99999999999999999999,2024-01-01T10:00:00+02:00\n1,2024-01-01T08:00:00Z\n")
    typed = storage.typed_table(text)
    assert [c["type"] for c in typed.columns] == ["decimal", "timestamp"]
    assert typed.columns[1]["sql_type"] == "TIMESTAMP WITH TIME ZONE"
    assert {row["at_"].hour for row in typed.table.to_pylist()} == {8}  # `at` is a DuckDB keyword
    assert inference.infer(read_table(b"t\n2024-01-01T10:00Z\n2024-01-01 10:00\n").columns[0]) == "text"


def _sheets(book):
    first = book.active
    first.title = "Orders"
    first.append(["Order", "Total", "Day", "Paid"])
    first.append([1, 12.5, dt.datetime(2024, 3, 1), True])
    first.append([2, 7, dt.datetime(2024, 3, 2, 14, 30), False])
    book.create_sheet("Notes").append(["ignored"])
    book.create_sheet("Archive").append(["ignored too"])


def test_excel_reads_the_first_sheet_and_notes_the_others():
    table = read_table(xlsx_bytes(_sheets), filename="orders.xlsx")
    assert table.labels == ["Order", "Total", "Day", "Paid"]
    assert [c.to_pylist() for c in table.columns][1] == ["12.5", "7"]
    assert table.notes == ["Only the first sheet (Orders) was imported; other sheets ignored: Notes, Archive."]
    typed = storage.typed_table(table)
    assert [c["type"] for c in typed.columns] == ["integer", "decimal", "timestamp", "boolean"]


def test_excel_formula_without_a_saved_value_and_error_cells_are_refused():
    def formula(book):
        book.active.append(["a", "b"])
        book.active.append([1, "=A2*2"])  # openpyxl saves no computed value

    error = refused(xlsx_bytes(formula), filename="f.xlsx")
    assert error.code == "EXCEL_FORMULA" and error.details == {"cell": "B2"}

    def error_cell(book):
        book.active.append(["a", "b"])
        book.active.append([1, "#DIV/0!"])
        book.active["B2"].data_type = "e"

    error = refused(xlsx_bytes(error_cell), filename="e.xlsx")
    assert error.code == "EXCEL_ERROR_CELL" and "#DIV/0!" in error.message and error.details == {"cell": "B2"}


def test_excel_formula_with_a_saved_value_uses_the_value():
    import zipfile
    from io import BytesIO

    def formula(book):
        book.active.append(["a", "b"])
        book.active.append([1, "=A2*2"])

    raw = BytesIO(xlsx_bytes(formula))
    out = BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # what Excel writes: the formula and its value
                body = body.replace(b"<f>A2*2</f><v></v>", b"<f>A2*2</f><v>2</v>").replace(
                    b"<f>A2*2</f><v />", b"<f>A2*2</f><v>2</v>"
                )
            target.writestr(item, body)
    table = read_table(out.getvalue(), filename="f.xlsx")
    assert [c.to_pylist() for c in table.columns] == [["1"], ["2"]]
