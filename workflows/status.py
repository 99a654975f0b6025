"""A workflow's status in the one vocabulary every page and the editor use: Draft / Published vN / Active.

The stored `status` (draft, active, inactive) and `published_version` are two facts; a reader
wants one word. Active means its triggers run the published version; Published vN means a
version is frozen but the triggers are off; Draft means nothing was published yet. The editor
has the same rule in frontend/src/workflowStatus.ts.
"""

from __future__ import annotations

from typing import NamedTuple


class StatusLabel(NamedTuple):
    key: str  # "draft", "published" or "active": the pill's style and the list filter's value
    text: str
    title: str


def status_label(status: str, published_version: int | None) -> StatusLabel:
    if status == "active":
        version = f"v{published_version}" if published_version else "the published version"
        return StatusLabel("active", "Active", f"Triggers run {version}")
    if published_version:
        return StatusLabel("published", f"Published v{published_version}", "Triggers are off until you activate it")
    return StatusLabel("draft", "Draft", "Not published yet")


FILTER_CHOICES = [("draft", "Draft"), ("published", "Published"), ("active", "Active")]


def filter_by_label(workflows, key: str):
    """Narrow a Workflow queryset to those whose label is `key` (one of FILTER_CHOICES)."""
    if key == "active":
        return workflows.filter(status="active")
    if key == "published":
        return workflows.exclude(status="active").filter(published_version__isnull=False)
    if key == "draft":
        return workflows.exclude(status="active").filter(published_version__isnull=True)
    return workflows
