"""Dataset actions: parse and type the whole file first, then write everything in one transaction.

Nothing touches the database until the file has been read, typed and turned into Parquet, so
a refused file stores nothing and a failed replace or append leaves the old rows as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.models import Project
from accounts.services import ConflictError, record_audit
from datasets import storage
from datasets.columns import table_name as table_name_for
from datasets.models import Dataset, DatasetData
from datasets.parsing import FileRefused, TextTable, read_table
from flowbuilder.revisions import locked_row
from integrations.models import Connection, ConnectionKind

PREVIEW_ROWS = 20
CONNECTION_NAME = "Datasets"


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str = ""
    delimiter: str = ""


def check_size(size: int) -> None:
    limit = settings.FLOWBUILDER_DATASET_MAX_BYTES
    if size > limit:
        raise FileRefused(
            "PAYLOAD_TOO_LARGE", f"The file is over the limit of {limit:,} bytes ({size:,} bytes).", status=413
        )


def _text(upload: Upload) -> TextTable:
    check_size(len(upload.data))
    return read_table(upload.data, filename=upload.filename, delimiter=upload.delimiter)


def preview(upload: Upload, types: dict[str, str] | None = None) -> dict[str, Any]:
    """The columns with inferred (or given) types, the first rows as text, the count; stores nothing."""
    import pyarrow as pa  # pyarrow where used, not at import: D19 addendum (3)

    text = _text(upload)
    typed = storage.typed_table(text, types)  # checks forced types over the whole file
    names = [column["name"] for column in typed.columns]
    first = [column.slice(0, PREVIEW_ROWS) for column in text.columns]
    rows = pa.Table.from_arrays(first, names=names).to_pylist() if first else []
    return {
        "columns": typed.columns,
        "rows": rows,
        "row_count": text.row_count,
        "source_format": text.source_format,
        "delimiter": text.delimiter,
        "notes": text.notes,
    }


def _who(actor, api_key) -> dict[str, Any]:
    return {"actor": actor, "api_key": api_key}


def datasets_connection(project: Project, actor=None) -> Connection:
    """The project's built-in Datasets connection, made with its first dataset."""
    found = Connection.objects.filter(project=project, kind=ConnectionKind.DATASETS).first()
    if found is not None:
        return found
    taken = set(Connection.objects.filter(project=project).values_list("name", flat=True))
    name = next(
        candidate for candidate in (CONNECTION_NAME, *(f"{CONNECTION_NAME} {n}" for n in range(2, 1000)))
        if candidate not in taken
    )  # fmt: skip
    return Connection.objects.create(project=project, kind=ConnectionKind.DATASETS, name=name, created_by=actor)


def _free_table_name(project: Project, name: str, exclude: str = "") -> str:
    base = table_name_for(name)
    taken = set(Dataset.objects.filter(project=project).exclude(pk=exclude).values_list("table_name", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base[:58]}_{number}"
    return candidate


def _apply(dataset: Dataset, text: TextTable, typed: storage.TypedTable, upload: Upload) -> bytes:
    data = storage.parquet_bytes(typed.table)
    dataset.columns = typed.columns
    dataset.row_count = typed.row_count
    dataset.size_bytes = len(upload.data)
    dataset.stored_bytes = len(data)
    dataset.source_format = text.source_format
    dataset.source_filename = upload.filename[:255]
    dataset.delimiter = text.delimiter
    dataset.notes = text.notes
    dataset.data_sha256 = storage.sha256(data)
    return data


def _store(dataset: Dataset, data: bytes) -> None:
    DatasetData.objects.update_or_create(dataset=dataset, defaults={"sha256": dataset.data_sha256, "parquet": data})


def create_dataset(
    project: Project, *, name: str, upload: Upload, types: dict[str, str] | None = None, actor=None, api_key=None
) -> Dataset:
    text = _text(upload)
    typed = storage.typed_table(text, types)
    dataset = Dataset(project=project, name=name, created_by=actor)
    data = _apply(dataset, text, typed, upload)
    try:
        with transaction.atomic():
            datasets_connection(project, actor)
            dataset.table_name = _free_table_name(project, name)
            dataset.save()
            _store(dataset, data)
            record_audit(
                project.organization, "dataset.created", project=project, target=dataset,
                details={"name": name, "rows": dataset.row_count, "columns": len(dataset.columns)},
                **_who(actor, api_key),
            )  # fmt: skip
    except IntegrityError:
        raise ConflictError(f"A dataset named {name!r} already exists in this project.") from None
    return dataset


def replace_dataset(
    dataset: Dataset, *, upload: Upload, types: dict[str, str] | None = None, expected_revisions=None,
    actor=None, api_key=None,
) -> Dataset:  # fmt: skip
    """New rows and columns from a new file; the old ones stay if anything fails."""
    text = _text(upload)
    typed = storage.typed_table(text, types)
    with transaction.atomic():
        dataset = locked_row(Dataset.objects.select_related("project__organization"), dataset.pk, expected_revisions)
        data = _apply(dataset, text, typed, upload)
        dataset.save()
        _store(dataset, data)
        record_audit(
            dataset.project.organization, "dataset.replaced", project=dataset.project, target=dataset,
            details={"name": dataset.name, "rows": dataset.row_count}, **_who(actor, api_key),
        )  # fmt: skip
    return dataset


def _schema_problem(existing: list[dict], names: list[str]) -> str | None:
    wanted = [column["name"] for column in existing]
    if names == wanted:
        return None
    missing = [name for name in wanted if name not in names]
    extra = [name for name in names if name not in wanted]
    if missing or extra:
        parts = [f"missing {', '.join(missing)}" if missing else "", f"extra {', '.join(extra)}" if extra else ""]
        return f"The file's columns differ from the dataset's: {'; '.join(part for part in parts if part)}."
    return None  # same columns in another order: matched by name


def append_dataset(dataset: Dataset, *, upload: Upload, expected_revisions=None, actor=None, api_key=None) -> Dataset:
    """Rows added from a file with the same columns (by name), typed as the dataset's columns are."""
    import pyarrow as pa

    from datasets import inference
    from datasets.columns import column_names

    text = _text(upload)
    names = column_names(text.labels)
    if problem := _schema_problem(dataset.columns, names):
        raise FileRefused("SCHEMA_MISMATCH", problem, details={"columns": [c["name"] for c in dataset.columns]})
    with transaction.atomic():
        dataset = locked_row(Dataset.objects.select_related("project__organization"), dataset.pk, expected_revisions)
        kinds = {column["name"]: column["type"] for column in dataset.columns}
        typed = storage.typed_table(text, kinds)
        old = storage.read_parquet(bytes(DatasetData.objects.get(pk=dataset.pk).parquet))
        new = typed.table.select(old.column_names)
        try:
            combined = pa.concat_tables([old, new], promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise FileRefused("SCHEMA_MISMATCH", f"The new rows do not fit the dataset's columns: {error}") from None
        data = storage.parquet_bytes(combined)
        by_name = {field.name: field.type for field in combined.schema}
        dataset.columns = [
            {**column, "sql_type": inference.sql_type(by_name[column["name"]], column["type"])}
            for column in dataset.columns
        ]
        dataset.row_count = combined.num_rows
        dataset.size_bytes += len(upload.data)
        dataset.stored_bytes = len(data)
        dataset.data_sha256 = storage.sha256(data)
        dataset.save()
        _store(dataset, data)
        record_audit(
            dataset.project.organization, "dataset.appended", project=dataset.project, target=dataset,
            details={"name": dataset.name, "rows_added": typed.row_count}, **_who(actor, api_key),
        )  # fmt: skip
    return dataset


def update_dataset(dataset: Dataset, *, name: str, expected_revisions=None, actor=None, api_key=None) -> Dataset:
    """Rename; the SQL table name follows the new name."""
    try:
        with transaction.atomic():
            dataset = locked_row(
                Dataset.objects.select_related("project__organization"), dataset.pk, expected_revisions
            )
            old = dataset.name
            dataset.name = name
            dataset.table_name = _free_table_name(dataset.project, name, exclude=dataset.pk)
            dataset.save()
            record_audit(
                dataset.project.organization, "dataset.updated", project=dataset.project, target=dataset,
                details={"name": name, "previous_name": old}, **_who(actor, api_key),
            )  # fmt: skip
    except IntegrityError:
        raise ConflictError(f"A dataset named {name!r} already exists in this project.") from None
    return dataset


def delete_dataset(dataset: Dataset, *, expected_revisions=None, actor=None, api_key=None) -> None:
    project, dataset_id = dataset.project, dataset.pk
    with transaction.atomic():
        dataset = locked_row(Dataset.objects.all(), dataset_id, expected_revisions)
        dataset.delete()
        record_audit(
            project.organization, "dataset.deleted", project=project, target_type="dataset", target_id=dataset_id,
            details={"name": dataset.name}, **_who(actor, api_key),
        )  # fmt: skip


def local_file(dataset: Dataset):
    """This machine's Parquet copy of the dataset's rows."""
    path = storage.local_copy(
        dataset.data_sha256, lambda: DatasetData.objects.filter(pk=dataset.pk).values_list("parquet", flat=True).first()
    )
    if path is None:
        raise Dataset.DoesNotExist
    return path
