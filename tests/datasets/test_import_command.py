"""`manage.py import_dataset`: create, append and replace from a file, refusals as command errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from datasets.models import Dataset

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_dataset", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_append_and_replace_with_a_progress_bar(acme, tmp_path):
    project = acme.default_project.id
    first = tmp_path / "orders.csv"
    first.write_text("Customer\tTotal\nAda\t10\n")
    out, err = run(str(first), "--project", project, "--name", "Orders")
    assert out.strip().endswith("orders: 1 rows, 2 columns")
    assert "read" in err and "100%" in err  # tqdm's bar, on stderr
    more = tmp_path / "more.csv"
    more.write_text("Customer\tTotal\nBob\t5\nEve\t7\n")
    run(str(more), "--project", project, "--name", "Orders", "--mode", "append", "--no-progress")
    assert Dataset.objects.get(name="Orders").row_count == 3
    run(str(more), "--project", project, "--name", "Orders", "--mode", "replace", "--no-progress")
    assert Dataset.objects.get(name="Orders").row_count == 2


def test_refusals_are_command_errors_and_store_nothing(acme, tmp_path, settings):
    project = acme.default_project.id
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n1\n")
    with pytest.raises(CommandError, match="Line 2 has 1 columns"):
        run(str(bad), "--project", project, "--name", "Bad", "--no-progress")
    with pytest.raises(CommandError, match="No file"):
        run(str(tmp_path / "missing.csv"), "--project", project, "--name", "X")
    with pytest.raises(CommandError, match="No project"):
        run(str(bad), "--project", "prj_nope", "--name", "X")
    settings.FLOWBUILDER_DATASET_MAX_BYTES = 3
    with pytest.raises(CommandError, match="over the limit"):
        run(str(bad), "--project", project, "--name", "X")
    assert Dataset.objects.count() == 0
