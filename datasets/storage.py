"""Typed rows as Parquet: built from a parsed file, kept in the database, cached on local disk.

The database holds the bytes (`DatasetData.parquet`), so every machine of a scaled
deployment reads the same data and embedded mode (SQLite) needs nothing more. Queries read a
local copy named by the content's SHA-256 under `FLOWBUILDER_DATASET_CACHE_DIR`: a replaced
dataset has a new hash, so a machine never reads a stale copy, and copies are written to a
temporary name then renamed (readers never see half a file).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from datasets.columns import column_names
from datasets.parsing import FileRefused, TextTable

if TYPE_CHECKING:  # pyarrow is imported where used: D19 addendum (3)
    import pyarrow as pa


@dataclass
class TypedTable:
    table: pa.Table
    columns: list[dict]  # name, label, type, sql_type

    @property
    def row_count(self) -> int:
        return self.table.num_rows


def typed_table(text: TextTable, types: dict[str, str] | None = None) -> TypedTable:
    """The columns typed as inferred, or as `types` ({column name: type}) says."""
    import pyarrow as pa

    from datasets import inference

    types = dict(types or {})
    names = column_names(text.labels)
    unknown = sorted(set(types) - set(names))
    if unknown:
        raise FileRefused(
            "VALIDATION_ERROR",
            f"types names a column the file does not have: {unknown[0]} (columns: {', '.join(names)}).",
            details={"field": "types"},
        )
    arrays, described = [], []
    for name, label, column in zip(names, text.labels, text.columns, strict=True):
        if types.get(name):
            kind = types[name]
            typed = inference.typed_column(column, kind, name=name, label=label or name)
        else:
            kind, typed = inference.inferred(column)
        arrays.append(typed)
        sql_type = inference.sql_type(typed.type, kind)
        described.append({"name": name, "label": label or name, "type": kind, "sql_type": sql_type})
    return TypedTable(pa.Table.from_arrays(arrays, names=names) if arrays else pa.table({}), described)


def parquet_bytes(table: pa.Table) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_parquet(data: bytes) -> pa.Table:
    import pyarrow.parquet as pq

    return pq.read_table(io.BytesIO(data))


def cache_dir() -> Path:
    path = Path(getattr(settings, "FLOWBUILDER_DATASET_CACHE_DIR", "") or settings.VAR_DIR / "dataset-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


def local_copy(digest: str, load) -> Path | None:
    """The Parquet file of content `digest`, written from `load()` (bytes) when this machine lacks it."""
    if len(digest) != 64 or not all(ch in "0123456789abcdef" for ch in digest):
        raise ValueError("not a SHA-256 digest")
    path = cache_dir() / f"{digest}.parquet"
    if path.exists():
        return path
    loaded = load()
    if loaded is None:
        return None  # deleted meanwhile
    data = bytes(loaded)
    actual = sha256(data)
    if actual != digest:  # replaced meanwhile: keep what was read, under its own name
        path = cache_dir() / f"{actual}.parquet"
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    prune_cache(keep=path)
    return path


def prune_cache(*, keep: Path, older_than_seconds: int = 600) -> int:
    """Remove copies whose content no dataset holds any more (replaced or deleted ones).

    Only files untouched for `older_than_seconds`: a query that opened its views just before
    a replace still reads its file."""
    import time

    from datasets.models import DatasetData

    current = set(DatasetData.objects.values_list("sha256", flat=True))
    removed, cutoff = 0, time.time() - older_than_seconds
    for candidate in keep.parent.glob("*.parquet"):
        if candidate != keep and candidate.stem not in current and candidate.stat().st_mtime < cutoff:
            candidate.unlink(missing_ok=True)
            removed += 1
    return removed
