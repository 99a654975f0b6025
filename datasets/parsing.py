"""An uploaded file as a table of text cells: CSV (UTF-8, `,` `;` or tab) or Excel (.xlsx, first sheet).

What comes out is a header (the labels as written) and one pyarrow string column per header;
types are decided afterwards, over the whole file (datasets.typing). Rules, as the API
documents them:

- CSV: UTF-8 with or without a BOM; LF or CRLF; the delimiter is the one of `,` `;` tab
  that splits the first lines into the same number (>1) of columns (overridable); fields in
  double quotes may hold delimiters, newlines and doubled quotes (`""`). An empty unquoted
  field is NULL, a quoted empty field (`""`) is the empty string. Blank lines are skipped.
- Excel: the first sheet; other sheets are named in a note. A formula cell gives its saved
  value; a formula with no saved value, or an error cell (`#DIV/0!`), is refused naming the
  cell. Numbers, dates and booleans become their text (ISO dates) and are typed like CSV.
- Every refusal is a `FileRefused` with a code and a message that says what to do; nothing is
  stored when one is raised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyarrow is imported where used: D19 addendum (3)
    import pyarrow as pa

BOM = b"\xef\xbb\xbf"
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
SNIFF_BYTES = 64 * 1024
SNIFF_RECORDS = 50
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class FileRefused(Exception):
    """The file cannot become a dataset; `status` is the HTTP status the API answers."""

    def __init__(self, code: str, message: str, *, status: int = 400, details: dict | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}


@dataclass
class TextTable:
    """The header as written and one string column per header (None: an empty cell)."""

    labels: list[str]
    columns: list[pa.Array]
    source_format: str  # csv | xlsx
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.columns[0]) if self.columns else 0


def read_table(data: bytes, *, filename: str = "", delimiter: str = "") -> TextTable:
    """The file's cells as text; FileRefused when it cannot be read."""
    if data.startswith(ZIP_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    if data.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise FileRefused(
            "FILE_FORMAT", "Old Excel files (.xls) are not read: save the workbook as .xlsx or as CSV (UTF-8)."
        )
    return read_csv(data, delimiter=delimiter)


# --- CSV ------------------------------------------------------------------------------------


def _check_utf8(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileRefused(
            "FILE_NOT_UTF8",
            f"The file is not UTF-8: byte {error.start} (line {line}) is 0x{data[error.start]:02x}. "
            "Re-save it as 'CSV UTF-8' (Excel: Save As → CSV UTF-8; LibreOffice: character set Unicode (UTF-8)).",
            details={"byte": error.start, "line": line},
        ) from None


def sniff_delimiter(text: str) -> str:
    """The one of `,` `;` tab that splits the first records into the same number (>1) of columns."""
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        try:
            records = [row for row in csv.reader(io.StringIO(text), delimiter=candidate) if row]
        except csv.Error:
            continue
        records = records[:-1] if len(records) > 1 else records  # the last may be cut by the sample
        counts = {len(row) for row in records[:SNIFF_RECORDS]}
        if len(counts) == 1 and (width := counts.pop()) > 1 and (1, width) > best_score:
            best, best_score = candidate, (1, width)
    return best


def read_csv(data: bytes, *, delimiter: str = "") -> TextTable:
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if data.startswith(BOM):
        data = data[len(BOM) :]
    if not data.strip():
        raise FileRefused("FILE_EMPTY", "The file is empty: it needs a header row naming the columns.")
    _check_utf8(data)
    if (nul := data.find(b"\x00")) >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise FileRefused(
            "FILE_FORMAT",
            f"Byte {nul} (line {line}) is a NUL character: this is not a text CSV (UTF-16 or a binary file?). "
            "Re-save it as 'CSV UTF-8'.",
            details={"byte": nul, "line": line},
        )
    if delimiter and delimiter not in DELIMITERS:
        raise FileRefused("VALIDATION_ERROR", "delimiter is one of ',', ';' or a tab.", details={"field": "delimiter"})
    sample = data[:SNIFF_BYTES].decode("utf-8", errors="ignore")
    delimiter = delimiter or sniff_delimiter(sample)
    width = _header_width(sample, delimiter)
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                # every column is read as text ("007" stays "007"); types are decided later
                column_types={f"f{index}": pa.string() for index in range(width)},
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                null_values=[""],
                auto_dict_encode=False,
            ),
        )
    except pa.ArrowInvalid as error:
        raise _ragged_or_broken(data, delimiter, error) from None
    table = table.cast(pa.schema([(name, pa.string()) for name in table.column_names]))
    header = table.slice(0, 1).to_pylist()[0] if table.num_rows else {}
    labels = [header.get(name) or "" for name in table.column_names]
    body = table.slice(1)
    return TextTable(
        labels=labels,
        columns=[body.column(index).combine_chunks() for index in range(body.num_columns)],
        source_format="csv",
        delimiter=delimiter,
    )


def _header_width(sample: str, delimiter: str) -> int:
    try:
        return len(next((row for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row), []))
    except csv.Error:
        return 0


def _ragged_or_broken(data: bytes, delimiter: str, error: Exception) -> FileRefused:
    """Where the file stops being a table: the first record with another number of columns."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter)
    expected, line = None, 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not row:
                continue
            if expected is None:
                expected = len(row)
            elif len(row) != expected:
                return FileRefused(
                    "FILE_RAGGED",
                    f"Line {start} has {len(row)} columns; the header has {expected}. "
                    "Check for a missing or extra delimiter, or an unclosed quote.",
                    details={"line": start, "expected_columns": expected, "actual_columns": len(row)},
                )
    except csv.Error as broken:
        return FileRefused("FILE_UNREADABLE", f"Line {line}: the CSV cannot be read ({broken}).")
    return FileRefused("FILE_UNREADABLE", f"The CSV cannot be read: {str(error).splitlines()[0]}")


# --- Excel ----------------------------------------------------------------------------------


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read_xlsx(data: bytes) -> TextTable:
    import zipfile

    import openpyxl
    import pyarrow as pa

    try:
        values_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formula_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileRefused(
            "FILE_FORMAT", f"This is not an Excel workbook (.xlsx) that can be read ({error.__class__.__name__})."
        ) from None
    try:
        sheets = values_book.worksheets
        if not sheets:
            raise FileRefused("FILE_EMPTY", "The workbook has no sheets.")
        notes = []
        if len(sheets) > 1:
            others = ", ".join(sheet.title for sheet in sheets[1:])
            notes.append(f"Only the first sheet ({sheets[0].title}) was imported; other sheets ignored: {others}.")
        rows = _sheet_rows(sheets[0], formula_book.worksheets[0])
    finally:
        values_book.close()
        formula_book.close()
    if not rows:
        raise FileRefused("FILE_EMPTY", f"The first sheet ({sheets[0].title}) is empty: it needs a header row.")
    width = max(len(row) for row in rows)
    labels = [str(cell) if cell is not None else "" for cell in rows[0]] + [""] * (width - len(rows[0]))
    body = [row + [None] * (width - len(row)) for row in rows[1:]]
    columns = [pa.array([row[index] for row in body], type=pa.string()) for index in range(width)]
    return TextTable(labels=labels, columns=columns, source_format="xlsx", notes=notes)


def _sheet_rows(values_sheet, formula_sheet) -> list[list[str | None]]:
    rows = []
    for value_row, formula_row in zip(values_sheet.iter_rows(), formula_sheet.iter_rows(), strict=False):
        texts = []
        for cell, formula in zip(value_row, formula_row, strict=False):
            where = getattr(cell, "coordinate", None) or getattr(formula, "coordinate", "?")
            if cell.data_type == "e":
                raise FileRefused(
                    "EXCEL_ERROR_CELL",
                    f"Cell {where} of the first sheet holds the error {cell.value}: fix it or clear the cell.",
                    details={"cell": where},
                )
            if formula.data_type == "f" and cell.value is None:
                raise FileRefused(
                    "EXCEL_FORMULA",
                    f"Cell {where} of the first sheet holds a formula with no saved value: open the file in "
                    "Excel or LibreOffice and save it (that stores the values), or paste the values instead.",
                    details={"cell": where},
                )
            texts.append(_cell_text(cell.value))
        while texts and texts[-1] is None:
            texts.pop()
        if texts:
            rows.append(texts)
    return rows
