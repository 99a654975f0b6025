"""Definitions as the API receives them: any accepted form in, canonical form and problems out."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from workflows.engine import Problem, detect_format, from_canonical, to_canonical, validate_definition
from workflows.nodes import get_registry

FORMATS = ("nodes", "states", "configuration")


class DefinitionError(Exception):
    """The definition cannot be read or is not runnable; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "Invalid definition.")
        self.problems = problems

    @property
    def is_node_config_error(self) -> bool:
        return all(problem.code == "INVALID_NODE_CONFIG" for problem in self.problems)


@dataclass(frozen=True)
class ParsedDefinition:
    canonical: dict[str, Any]
    source_format: str


def parse_definition(data: Any) -> ParsedDefinition:
    """Accept the canonical, `states` or `configuration` form; return the canonical one."""
    if not isinstance(data, dict):
        raise DefinitionError([Problem("definition", "INVALID_DEFINITION", "The definition must be an object.")])
    try:
        source_format = detect_format(data)
        canonical = to_canonical(data)
    except (ValueError, TypeError, KeyError) as error:
        raise DefinitionError([Problem("definition", "INVALID_DEFINITION", str(error))]) from None
    except AttributeError:  # a converter met a shape it does not know (a list where an object goes)
        message = "the definition has a value of the wrong kind (an object, list or text) for its form"
        raise DefinitionError([Problem("definition", "INVALID_DEFINITION", message)]) from None
    canonical.setdefault("variables", {})
    canonical.setdefault("settings", {})
    return ParsedDefinition(canonical=canonical, source_format=source_format)


def find_problems(canonical: dict[str, Any], project=None) -> list[Problem]:
    """The engine's problems; with a project, also what must exist there (workflows.references)."""
    problems = validate_definition(canonical, get_registry())
    if project is None:
        return problems
    from workflows.references import merge_problems, reference_problems

    return merge_problems(problems, reference_problems(canonical, project))


def function_problems(project_id: str, canonical: dict[str, Any]) -> list[Problem]:
    """Each `function.call` (a `task` state) naming no function of the project, with a "create it" action."""
    from functions_app.services import missing_function_problems

    return missing_function_problems(project_id, canonical)


# A definition's structural problems are a function of its content alone (the node registry is
# fixed per process): a published version, (workflow id, version number), never changes, and a
# draft is keyed by the digest of its content, so a draft run again unedited is not checked
# again. Key → problems, kept per process (the oldest dropped past the size).
_STRUCTURE_PROBLEMS: dict[tuple[str, Any], list[Problem]] = {}
STRUCTURE_PROBLEMS_KEPT = 1024


def find_project_problems(
    project_id: str, canonical: dict[str, Any], *, version_key: tuple[str, int] | None = None
) -> list[Problem]:
    """Structural problems, then what the project lacks (functions): what must be fixed before a run.

    `version_key` (workflow id, published version number) names an immutable definition; without
    it the definition's content digest keys the structural check, done once per process for
    each content (D19 addenda (2), (4)); what the project lacks is asked every time (a function
    can be deleted).
    """
    key = version_key or content_key(canonical)
    if key is None:
        problems = find_problems(canonical)
    elif (problems := _STRUCTURE_PROBLEMS.get(key)) is None:
        problems = find_problems(canonical)
        if len(_STRUCTURE_PROBLEMS) >= STRUCTURE_PROBLEMS_KEPT:
            _STRUCTURE_PROBLEMS.pop(next(iter(_STRUCTURE_PROBLEMS)))
        _STRUCTURE_PROBLEMS[key] = problems
    return list(problems) or function_problems(project_id, canonical)


def content_key(canonical: dict[str, Any]) -> tuple[str, str] | None:
    """("content", sha-256 of the canonical JSON with sorted keys); None if it is not JSON."""
    try:
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    return "content", hashlib.sha256(text.encode()).hexdigest()


def shown_problems(canonical: dict[str, Any], project) -> list[Problem]:
    """Everything the problems list shows: the engine's, the project's references, missing functions."""
    return find_problems(canonical, project) + function_problems(project.id, canonical)


def problems_as_dicts(canonical: dict[str, Any], problems: list[Problem]) -> list[dict[str, Any]]:
    nodes = canonical.get("nodes") if isinstance(canonical.get("nodes"), list) else []
    result = []
    for problem in problems:
        body = problem.to_dict()
        body["node_id"] = node_id_of(problem.path, nodes)
        result.append(body)
    return result


def node_id_of(path: str, nodes: list | None) -> str | None:
    """`nodes[3].config.url` → the id of node 3, when there is one."""
    if not path.startswith("nodes[") or not nodes:
        return None
    try:
        index = int(path[len("nodes[") : path.index("]")])
        node = nodes[index]
    except (ValueError, IndexError):
        return None
    return node.get("id") if isinstance(node, dict) else None


def export_definition(canonical: dict[str, Any], fmt: str) -> dict[str, Any]:
    return canonical if fmt == "nodes" else from_canonical(canonical, fmt)
