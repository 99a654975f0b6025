"""Memory of a process that loaded Django, every app and the URL conf, and nothing else.

    .venv/bin/python bench/import_rss.py

What a web or worker process holds before its first request or job: peak RSS, and whether
the heavy dataset libraries (pyarrow, duckdb, openpyxl) were imported (D19 addendum (3):
they load at the first dataset parse or query). Prints figures; no pass/fail.
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowbuilder.settings")
    import django

    django.setup()
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 -- imports every view module, as the first request does
    loaded = {name: name in sys.modules for name in ("pyarrow", "duckdb", "openpyxl")}
    print(f"peak RSS after setup and URL conf: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("imported: " + ", ".join(f"{name} {'yes' if here else 'no'}" for name, here in loaded.items()))
    print("reproduce: .venv/bin/python bench/import_rss.py")


if __name__ == "__main__":
    main()
