"""Definition validation: every problem at once, each with a JSON path into the input."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass
from typing import Any

from jsonschema import Draft202012Validator

from .annotations import check_notes, check_pinned
from .definition import RETRY_SCHEMA, Edge
from .expression_checks import Upstream, check_node_expressions
from .expression_dates import zone_named
from .graph import find_cycle_nodes, loop_bodies, outgoing_edges
from .plain_words import explain_schema_error
from .registry import NodeRegistry

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


@dataclass(frozen=True)
class Problem:
    path: str
    code: str
    message: str
    _: KW_ONLY
    # What the user can do about it, e.g. {"label": "Create it", "href": …} for a missing function.
    action: dict[str, Any] | None = None
    # In an expression problem: the 0-based character offset in the field's text.
    position: int | None = None
    # Where the builder fixes it (a page of the product), when that is elsewhere.
    link: str | None = None

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"path": self.path, "code": self.code, "message": self.message}
        if self.action:
            body["action"] = dict(self.action)
        if self.position is not None:
            body["position"] = self.position
        if self.link is not None:
            body["link"] = self.link
        return body


def validate_definition(data: Any, registry: NodeRegistry) -> list[Problem]:
    """All problems of a canonical definition; an empty list means it can run."""
    if not isinstance(data, dict):
        return [Problem("", "NOT_AN_OBJECT", "the definition must be a JSON object")]
    problems: list[Problem] = []
    nodes = _checked_nodes(data.get("nodes"), registry, problems)
    edges = _checked_edges(data.get("edges", []), nodes, registry, problems)
    for key in ("variables", "settings"):
        if key in data and not isinstance(data[key], dict):
            problems.append(Problem(key, "NOT_AN_OBJECT", f"{key} must be an object"))
    if isinstance(data.get("settings"), dict) and "timezone" in data["settings"]:
        try:
            zone_named(data["settings"]["timezone"])
        except ValueError as exc:
            problems.append(Problem("settings.timezone", "INVALID_TIMEZONE", str(exc)))
    _check_graph(nodes, edges, registry, problems)
    if "pinned" in data:
        problems.extend(Problem(*found) for found in check_pinned(data["pinned"], nodes))
    if "notes" in data:
        problems.extend(Problem(*found) for found in check_notes(data["notes"]))
    variables = data.get("variables") if isinstance(data.get("variables"), dict) else {}
    problems.extend(_expression_problems(nodes, edges, variables))
    return problems


def _expression_problems(
    nodes: dict[str, tuple[int, dict]], edges: list[Edge], variables: dict[str, Any]
) -> Iterable[Problem]:
    upstream = Upstream(edges)
    for node_id, (i, node) in nodes.items():
        found = check_node_expressions(
            node_id, node.get("config"), node_ids=set(nodes), upstream=upstream, variables=variables
        )
        for problem in found:
            path = f"nodes[{i}].config.{problem.field}"
            yield Problem(path, problem.code, problem.message, position=problem.position)


def _checked_nodes(raw: Any, registry: NodeRegistry, problems: list[Problem]) -> dict[str, tuple[int, dict]]:
    """Well-formed nodes by id, with their index; reports what is wrong with the rest."""
    if not isinstance(raw, list):
        problems.append(Problem("nodes", "NOT_A_LIST", "nodes must be a list"))
        return {}
    nodes: dict[str, tuple[int, dict]] = {}
    for i, node in enumerate(raw):
        path = f"nodes[{i}]"
        if not isinstance(node, dict):
            problems.append(Problem(path, "NOT_AN_OBJECT", "a node must be an object"))
            continue
        node_id, type_name = node.get("id"), node.get("type")
        if not isinstance(node_id, str) or not node_id:
            problems.append(Problem(f"{path}.id", "MISSING_ID", "a node needs an id"))
            continue
        if not SLUG.match(node_id):
            problems.append(
                Problem(f"{path}.id", "INVALID_ID", f"{node_id!r} is not a slug (letters, digits, _ and -)")
            )
        if node_id in nodes:
            problems.append(Problem(f"{path}.id", "DUPLICATE_NODE_ID", f"node id {node_id!r} is used twice"))
            continue
        nodes[node_id] = (i, node)
        if not isinstance(type_name, str) or not type_name:
            problems.append(Problem(f"{path}.type", "MISSING_TYPE", "a node needs a type"))
            continue
        node_type = registry.get(type_name)
        if node_type is None:
            problems.append(Problem(f"{path}.type", "UNKNOWN_NODE_TYPE", f"unknown node type {type_name!r}"))
            continue
        problems.extend(_config_problems(path, node.get("config", {}), node_type))
        problems.extend(_policy_problems(path, node))
    return nodes


def _config_problems(path: str, config: Any, node_type: Any) -> Iterable[Problem]:
    if not isinstance(config, dict):
        yield Problem(f"{path}.config", "INVALID_NODE_CONFIG", "config must be an object")
        return
    validator = Draft202012Validator(node_type.config_schema)
    for error in sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path)):
        field_path = _json_path(error.absolute_path)
        if error.validator == "required":
            missing = re.match(r"'([^']+)'", error.message)
            field_path += f".{missing.group(1)}" if missing else ""
        # The sentence names the field by its label; the path stays machine-readable.
        message = explain_schema_error(error, node_type.config_schema)
        yield Problem(f"{path}.config{field_path}", "INVALID_NODE_CONFIG", message)
    for field, message in node_type.check_config(config):
        yield Problem(f"{path}.config.{field}", "INVALID_NODE_CONFIG", message)


def _policy_problems(path: str, node: dict) -> Iterable[Problem]:
    retry = node.get("retry")
    if retry is not None:
        if not isinstance(retry, dict):
            yield Problem(f"{path}.retry", "INVALID_RETRY", "retry must be an object")
        else:
            yield from _retry_problems(f"{path}.retry", retry)
    timeout = node.get("timeout_seconds")
    if timeout is not None and (
        not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0
    ):
        yield Problem(
            f"{path}.timeout_seconds", "INVALID_TIMEOUT", "timeout_seconds must be a positive number"
        )


_RETRY_VALIDATOR = Draft202012Validator(RETRY_SCHEMA)


def _retry_problems(path: str, retry: dict) -> Iterable[Problem]:
    """The caps live in RETRY_SCHEMA, which GET /node-types also serves."""
    for key in retry:
        if key not in RETRY_SCHEMA["properties"]:
            yield Problem(f"{path}.{key}", "INVALID_RETRY", f"unknown retry setting {key!r}")
    for error in _RETRY_VALIDATOR.iter_errors(retry):
        if error.validator != "additionalProperties":
            message = explain_schema_error(error, RETRY_SCHEMA)
            yield Problem(f"{path}{_json_path(error.absolute_path)}", "INVALID_RETRY", message)


def _json_path(parts: Iterable[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _checked_edges(
    raw: Any, nodes: dict[str, tuple[int, dict]], registry: NodeRegistry, problems: list[Problem]
) -> list[Edge]:
    if not isinstance(raw, list):
        problems.append(Problem("edges", "NOT_A_LIST", "edges must be a list"))
        return []
    edges: list[Edge] = []
    seen_ids: set[str] = set()
    seen_links: set[tuple[str, str, str]] = set()
    for i, edge in enumerate(raw):
        path = f"edges[{i}]"
        if not isinstance(edge, dict):
            problems.append(Problem(path, "NOT_AN_OBJECT", "an edge must be an object"))
            continue
        missing = [
            k for k in ("id", "source", "target") if not isinstance(edge.get(k), str) or not edge.get(k)
        ]
        for key in missing:
            problems.append(Problem(f"{path}.{key}", f"MISSING_{key.upper()}", f"an edge needs a {key}"))
        if missing:
            continue
        parsed = Edge.from_dict(edge)
        if parsed.id in seen_ids:
            problems.append(
                Problem(f"{path}.id", "DUPLICATE_EDGE_ID", f"edge id {parsed.id!r} is used twice")
            )
        seen_ids.add(parsed.id)
        link = (parsed.source, parsed.source_port, parsed.target)
        if link in seen_links:
            problems.append(
                Problem(path, "DUPLICATE_EDGE", "the same source, port and target are already joined")
            )
            continue
        seen_links.add(link)
        if _edge_endpoint_problems(path, parsed, nodes, registry, problems):
            edges.append(parsed)
    return edges


def _edge_endpoint_problems(
    path: str, edge: Edge, nodes: dict[str, tuple[int, dict]], registry: NodeRegistry, problems: list[Problem]
) -> bool:
    """Report dangling ends, unknown ports and edges into triggers; True if the edge is usable."""
    usable = True
    for end in ("source", "target"):
        if getattr(edge, end) not in nodes:
            problems.append(
                Problem(f"{path}.{end}", "DANGLING_EDGE", f"no node with id {getattr(edge, end)!r}")
            )
            usable = False
    if not usable:
        return False
    source_type = registry.get(nodes[edge.source][1].get("type", ""))
    target_type = registry.get(nodes[edge.target][1].get("type", ""))
    if source_type is not None:
        ports = source_type.output_ports(nodes[edge.source][1].get("config") or {})
        if edge.source_port not in ports:
            message = (
                f"{edge.source!r} has no port {edge.source_port!r} (ports: {', '.join(ports) or 'none'})"
            )
            problems.append(Problem(f"{path}.source_port", "UNKNOWN_PORT", message))
    if target_type is not None and target_type.is_trigger:
        problems.append(
            Problem(
                f"{path}.target",
                "EDGE_INTO_TRIGGER",
                f"{edge.target!r} is a trigger; nothing may lead into it",
            )
        )
    return True


def _check_graph(
    nodes: dict[str, tuple[int, dict]], edges: list[Edge], registry: NodeRegistry, problems: list[Problem]
) -> None:
    def type_of(node_id: str) -> Any:
        return registry.get(nodes[node_id][1].get("type", ""))

    triggers = [n for n in nodes if type_of(n) is not None and type_of(n).is_trigger]
    if not triggers:
        problems.append(Problem("nodes", "NO_TRIGGER", "a workflow needs at least one trigger node"))
    reachable = _reachable(triggers, outgoing_edges(edges))
    for node_id, (i, _node) in nodes.items():
        if triggers and node_id not in reachable:
            problems.append(
                Problem(f"nodes[{i}]", "UNREACHABLE_NODE", f"{node_id!r} cannot be reached from any trigger")
            )
    loops = [n for n in nodes if type_of(n) is not None and type_of(n).control == "for_each"]
    bodies = loop_bodies(loops, edges)
    # A body node leading back into its own for_each closes the one allowed cycle shape.
    forward = [e for e in edges if not (e.target in bodies and e.source in bodies[e.target])]
    for component in find_cycle_nodes(list(nodes), forward):
        first = min(nodes[n][0] for n in component)
        message = f"cycle through {', '.join(component)} outside a for_each loop"
        problems.append(Problem(f"nodes[{first}]", "CYCLE", message))


def _reachable(starts: list[str], out_edges: dict[str, list[Edge]]) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for edge in out_edges.get(queue.popleft(), []):
            if edge.target not in seen:
                seen.add(edge.target)
                queue.append(edge.target)
    return seen
