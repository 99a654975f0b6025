"""The project dashboard page: chart tiles pinned from saved queries (dashboards.services)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.views import with_membership
from dashboards import services
from dashboards.models import ChartKind, Tile
from integrations.models import Connection
from workflows.views import can_edit, current_project

FORM_FIELDS = ("title", "connection_id", "sql", "chart", "label_column", "value_column")


def tile_view(tile: Tile) -> dict:
    """A tile as the page shows it: its chart data and the id of its JSON blob."""
    return {"tile": tile, "chart": services.chart_of(tile), "data_id": f"tile-data-{tile.id}"}


def form_values(post) -> dict:
    values = {name: post.get(name, "") for name in FORM_FIELDS}
    try:
        values["refresh_minutes"] = int(post.get("refresh_minutes", "0"))
    except ValueError:
        values["refresh_minutes"] = -1  # refused by check_tile with a clear message
    return values


@with_membership()
def dashboard_page(request, membership):
    project = current_project(request, membership)
    tiles = list(Tile.objects.filter(project=project).select_related("connection__credential"))
    for tile in tiles:
        if tile.refresh_minutes == 0:  # "when the dashboard opens": now
            services.refresh_tile(tile)
    return render(request, "dashboards/dashboard.html", page_context(request, membership, project, tiles))


def page_context(request, membership, project, tiles, *, form=None, problem=None) -> dict:
    return {
        "project": project,
        "tiles": [tile_view(tile) for tile in tiles],
        "can_edit": can_edit(membership),
        "connections": Connection.objects.filter(project=project, kind__in=services.DATABASE_KINDS).order_by("name"),
        "charts": ChartKind.choices,
        "refresh_choices": services.REFRESH_CHOICES.items(),
        "form": form or {"chart": ChartKind.BAR, "refresh_minutes": 0},
        "problem": problem,
    }


@require_POST
@with_membership(Role.EDITOR)
def pin_tile_page(request, membership):
    project = current_project(request, membership)
    values = form_values(request.POST)
    try:
        tile = services.pin_tile(project, values, actor=request.user)
    except services.TileError as error:
        tiles = list(Tile.objects.filter(project=project))
        context = page_context(request, membership, project, tiles, form=values, problem=error)
        return render(request, "dashboards/dashboard.html", context, status=400)
    messages.success(request, f"“{tile.title}” pinned to the dashboard.")
    return redirect("project-dashboard")


@require_POST
@with_membership(Role.EDITOR)
def unpin_tile_page(request, membership, tile_id: str):
    tile = get_object_or_404(Tile, pk=tile_id, project=current_project(request, membership))
    services.unpin_tile(tile, actor=request.user)
    messages.success(request, f"“{tile.title}” removed from the dashboard.")
    return redirect("project-dashboard")


@require_POST
@with_membership()
def refresh_tile_page(request, membership, tile_id: str):
    tile = get_object_or_404(Tile, pk=tile_id, project=current_project(request, membership))
    services.refresh_tile(tile)
    return redirect("project-dashboard")
