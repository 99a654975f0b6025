"""The pieces templates are made of: the template record, its nodes, edges and sample inputs.

`workflows.templates_catalog` (and the template modules it gathers) build on these.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

# A placeholder (RFC 2606 name): validation asks for the real address before a run.
SLACK_URL = "https://hooks.example.com/your-slack-incoming-webhook"
COLUMN_WIDTH = 300
ROW_HEIGHT = 150


@dataclass(frozen=True)
class FillIn:
    """A setting the builder must choose before the flow can run."""

    node_id: str
    field: str
    hint: str


@dataclass(frozen=True)
class WorkflowTemplate:
    slug: str
    name: str
    summary: str
    definition: dict[str, Any]
    to_fill: tuple[FillIn, ...] = field(default=())

    @property
    def runnable_as_is(self) -> bool:
        return not self.to_fill

    @property
    def node_types(self) -> list[str]:
        return [node["type"] for node in self.definition["nodes"]]

    def fresh_definition(self) -> dict[str, Any]:
        """A copy, so a caller editing it never changes the catalog."""
        return copy.deepcopy(self.definition)


def node(node_id: str, node_type: str, name: str, config: dict | None = None, *, at: tuple[int, int]) -> dict:
    column, row = at
    return {
        "id": node_id,
        "type": node_type,
        "name": name,
        "config": config or {},
        "position": {"x": column * COLUMN_WIDTH, "y": row * ROW_HEIGHT},
    }


def edge(source: str, target: str, port: str = "out") -> dict:
    return {"id": f"{source}-{port}-{target}", "source": source, "source_port": port, "target": target}


def flow(nodes: list[dict], edges: list[dict], variables: dict | None = None) -> dict:
    return {"nodes": nodes, "edges": edges, "variables": variables or {}, "settings": {}}


def webhook_sample(body: dict) -> dict:
    """What a `trigger.webhook` run receives for a JSON POST (see webhooks.inbound)."""
    return {
        "method": "POST",
        "path": "/hooks/…",
        "headers": {"content-type": "application/json"},
        "query": {},
        "body": body,
    }


def form_sample(data: dict) -> dict:
    """What a `trigger.form` run receives for a submission (see forms_app.receivers)."""
    return {"form_id": "form_…", "submission_id": "sub_…", "data": data, "submitted_at": "2026-01-05T09:30:00+00:00"}
