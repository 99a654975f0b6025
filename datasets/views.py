"""Pages of the Data section: connections and datasets side by side, the query console, the
upload flow and a dataset's own page.

The pages render what the server knows; the browser talks to the public API for the rest
(static/js/data.js): uploads with a progress bar, the preview, saving, queries. The API keeps
its guards (SELECT only, bounds, the envelope's errors) in one place and the pages reuse them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.views import with_membership
from datasets import reading, services
from datasets.models import Dataset
from integrations.models import Connection, ConnectionKind
from workflows.views import can_edit, current_project

ROWS_PER_PAGE = 50
FORMATS = {"csv": "CSV", "xlsx": "Excel"}

NOT_QUERYABLE = ("rest",)


def _sources(project):
    """The connections a SELECT can run on (every kind but REST APIs), by name."""
    return Connection.objects.filter(project=project).exclude(kind__in=NOT_QUERYABLE).order_by("name")


@with_membership()
def data_page(request, membership):
    project = current_project(request, membership)
    connections = list(Connection.objects.filter(project=project).order_by("name"))
    datasets = list(Dataset.objects.filter(project=project).order_by("name"))
    for dataset in datasets:
        dataset.format_label = FORMATS.get(dataset.source_format, dataset.source_format.upper())
    context = {
        "project": project,
        "connections": connections,
        "datasets": datasets,
        "datasets_connection": next((c for c in connections if c.kind == ConnectionKind.DATASETS), None),
        "can_edit": can_edit(membership),
    }
    return render(request, "datasets/data.html", context)


@with_membership()
def console_page(request, membership):
    project = current_project(request, membership)
    sources = list(_sources(project))
    chosen = request.GET.get("connection", "")
    if chosen not in {source.id for source in sources}:
        chosen = sources[0].id if sources else ""
    context = {
        "project": project,
        "sources": sources,
        "chosen": chosen,
        "sql": request.GET.get("sql", ""),
        "can_edit": can_edit(membership),
    }
    return render(request, "datasets/console.html", context)


@with_membership(Role.EDITOR)
def upload_page(request, membership):
    project = current_project(request, membership)
    context = {
        "project": project,
        "max_mb": settings.FLOWBUILDER_DATASET_MAX_BYTES // (1024 * 1024),
        "preview_url": reverse("dataset-preview"),
        "create_url": reverse("dataset-list"),
    }
    return render(request, "datasets/upload.html", context)


@with_membership()
def dataset_page(request, membership, dataset_id: str):
    """Columns and types, a page of rows, and (for editors) replace, append and delete."""
    project = current_project(request, membership)
    dataset = get_object_or_404(Dataset, pk=dataset_id, project=project)
    window = reading.RowsWindow(services.local_file(dataset), dataset.row_count)
    rows_page = Paginator(window, ROWS_PER_PAGE, allow_empty_first_page=True).get_page(request.GET.get("page"))
    names = [column["name"] for column in dataset.columns]
    context = {
        "project": project,
        "dataset": dataset,
        "format_label": FORMATS.get(dataset.source_format, dataset.source_format.upper()),
        "rows_page": rows_page,
        "rows": [[row.get(name) for name in names] for row in rows_page.object_list],
        "datasets_connection": Connection.objects.filter(project=project, kind=ConnectionKind.DATASETS).first(),
        "sample_sql": f"SELECT * FROM {dataset.table_name} LIMIT 100",
        "can_edit": can_edit(membership),
    }
    return render(request, "datasets/dataset.html", context)


@require_POST
@with_membership(Role.EDITOR)
def dataset_delete_page(request, membership, dataset_id: str):
    dataset = get_object_or_404(Dataset, pk=dataset_id, project=current_project(request, membership))
    services.delete_dataset(dataset, actor=request.user)
    messages.success(request, f"Dataset “{dataset.name}” deleted.")
    return redirect("data")
