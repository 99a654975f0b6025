"""Validation's view of knowledge-base settings (`x-knowledge-base` fields, e.g. ai.chat's).

A knowledge base named in a node must be one of the project's; a field left blank on purpose
(a template's "choose your FAQ" — the editor's picker removes the setting instead of blanking
it) is a "Set up first" step with a link. Registered with workflows.references in
ChatConfig.ready(): the knowledge app imports no workflow code, and chat sits above both.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.models import KnowledgeBase
from workflows.engine import Problem
from workflows.nodes import get_registry
from workflows.references import chosen, setup_problem

LINK = "/knowledge-bases/"
MARK = "x-knowledge-base"


def knowledge_base_settings(nodes: list[tuple[int, dict]]) -> Iterator[tuple[int, dict, str]]:
    """(index, config, field) of each knowledge-base setting a node has (set, or blank)."""
    registry = get_registry()
    for index, node in nodes:
        node_type = registry.get(node.get("type") or "")
        config = node.get("config")
        if node_type is None or not isinstance(config, dict):
            continue
        for field, schema in (node_type.config_schema.get("properties") or {}).items():
            if isinstance(schema, dict) and schema.get(MARK) and field in config:
                yield index, config, field


def knowledge_base_problems(project, nodes: list[tuple[int, dict]]) -> Iterator[Problem]:
    wanted = list(knowledge_base_settings(nodes))
    ids = {chosen(config, field) for _, config, field in wanted} - {None}
    found = set(KnowledgeBase.objects.filter(project=project, pk__in=ids).values_list("pk", flat=True))
    for index, config, field in wanted:
        kb_id = chosen(config, field)
        if config[field] == "":
            yield setup_problem(index, field, "choose the knowledge base to answer from", LINK)
        elif kb_id is not None and kb_id not in found:
            message = f"there is no knowledge base “{kb_id}” in this project; choose one of yours"
            yield Problem(f"nodes[{index}].config.{field}", "KNOWLEDGE_BASE_NOT_FOUND", message, link=LINK)
