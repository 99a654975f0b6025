"""What a large upload costs: a generated CSV of orders (50 MiB by default) read, typed, turned
into Parquet, and then queried with DuckDB under the same settings as a dataset query.

Phases: read (pyarrow CSV, all text) → infer and type every column → Parquet (zstd) →
DuckDB: open with the locked settings and a view, then a GROUP BY over every row. Prints
wall times, the peak memory of this process (ru_maxrss) and sizes; asserts nothing.

    .venv/bin/python bench/datasets_import.py --mib 50
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowbuilder.settings")

import django  # noqa: E402

django.setup()

from datasets import storage  # noqa: E402
from datasets.parsing import read_table  # noqa: E402


def orders_csv(size: int) -> bytes:
    rng = random.Random(19)
    customers = [f"Customer {n}" for n in range(500)]
    lines = [b"Order ID,Customer,Total,Status,Paid,Ordered on,Created at\n"]
    total, n = len(lines[0]), 0
    while total < size:
        n += 1
        line = (
            f"{n},{rng.choice(customers)},{rng.randint(100, 99999) / 100:.2f},"
            f"{rng.choice(['paid', 'failed', 'open'])},{rng.choice(['yes', 'no'])},"
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},2026-10-03 09:{rng.randint(0, 59):02d}:00\n"
        ).encode()
        lines.append(line)
        total += len(line)
    return b"".join(lines)[:size].rsplit(b"\n", 1)[0] + b"\n"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=float, default=50)
    args = parser.parse_args()
    data = orders_csv(int(args.mib * 1024 * 1024))
    print(f"CSV: {len(data) / 2**20:.1f} MiB, peak RSS before parsing {peak_mib():.0f} MiB")

    started = time.perf_counter()
    text = read_table(data)
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    typed = storage.typed_table(text)
    type_s = time.perf_counter() - started
    started = time.perf_counter()
    parquet = storage.parquet_bytes(typed.table)
    parquet_s = time.perf_counter() - started
    print(f"rows: {typed.row_count:,}; types: {', '.join(c['type'] for c in typed.columns)}")
    print(f"read {read_s:.2f} s, infer+type {type_s:.2f} s, Parquet {parquet_s:.2f} s "
          f"({len(parquet) / 2**20:.1f} MiB, {len(parquet) / len(data):.0%} of the CSV)")  # fmt: skip
    print(f"peak RSS after import: {peak_mib():.0f} MiB")

    import duckdb
    from django.conf import settings

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.parquet"
        path.write_bytes(parquet)
        started = time.perf_counter()
        con = duckdb.connect(":memory:", config={"threads": settings.FLOWBUILDER_DATASET_QUERY_THREADS,
                                                 "memory_limit": settings.FLOWBUILDER_DATASET_QUERY_MEMORY,
                                                 "autoload_known_extensions": False,
                                                 "autoinstall_known_extensions": False})  # fmt: skip
        con.execute(f"SET allowed_paths = ['{path}']")
        con.execute("SET enable_external_access = false")
        con.execute(f"CREATE VIEW orders AS SELECT * FROM read_parquet('{path}')")
        con.execute("SET lock_configuration = true")
        open_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        rows = con.sql(
            "SELECT customer, sum(total) AS spent, count(*) FILTER (WHERE status = 'failed') AS failed "
            "FROM orders GROUP BY customer ORDER BY spent DESC LIMIT 5"
        ).fetchall()
        query_ms = (time.perf_counter() - started) * 1000
        limits = (
            f"threads={settings.FLOWBUILDER_DATASET_QUERY_THREADS}, memory={settings.FLOWBUILDER_DATASET_QUERY_MEMORY}"
        )
        print(f"DuckDB: open + view {open_ms:.0f} ms; GROUP BY over {typed.row_count:,} rows {query_ms:.0f} ms "
              f"({limits})")  # fmt: skip
        print(f"top customer: {rows[0][0]} ({rows[0][1]})")
    print(f"peak RSS at the end: {peak_mib():.0f} MiB")
    print(f"command: .venv/bin/python bench/datasets_import.py --mib {args.mib:g}")


if __name__ == "__main__":
    main()
