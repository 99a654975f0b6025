"""What validation knows about the expressions in node settings, before anything runs.

Every string of a node's config that holds `{{ … }}` or `{% … %}` is parsed with the
expression sandbox's own Jinja parser (`environment.parse`; nothing is evaluated here, and
how expressions render is the expressions module's business). Reported, each with the
node's field path and the character position in that field's text:

- a syntax error (`{{ input.amount > }}`, an unclosed `{{`);
- a `{% … %}` statement: runs evaluate `{{ … }}` only, so a statement would fail the step
  (the sentence points to the `table` and `lines` filters, D22);
- a name the run never provides (`{{ inptu.x }}`): runs see `input`, `trigger`, `steps`,
  `vars`, `execution`, `loop` and the sandbox's functions;
- `vars.<name>` not among the workflow's variables;
- `steps.<id>` naming no node, or a node that does not run before this one (only the
  nodes upstream of a node have an output when it runs).
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateSyntaxError, meta
from jinja2 import nodes as jinja_nodes

from .definition import Edge
from .expressions import STATEMENT, STATEMENT_MESSAGE, expression_environment

RUN_NAMES = frozenset({"input", "trigger", "steps", "vars", "execution", "loop"})
_SEGMENT = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


@dataclass(frozen=True)
class ExpressionProblem:
    field: str  # path inside the node's config: `condition`, `fields.total`, `body[0]`
    code: str
    message: str
    position: int  # 0-based character offset in the field's text


def has_template(value: Any) -> bool:
    return isinstance(value, str) and ("{{" in value or "{%" in value)


def template_strings(config: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) of every string holding an expression, through dicts and lists."""
    if isinstance(config, str):
        if has_template(config):
            yield path, config
    elif isinstance(config, dict):
        for key, item in config.items():
            yield from template_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(config, list):
        for i, item in enumerate(config):
            yield from template_strings(item, f"{path}[{i}]")


class Upstream:
    """Which nodes can run before a node: its ancestors along the edges (computed on demand)."""

    def __init__(self, edges: Iterable[Edge]) -> None:
        self._incoming: dict[str, set[str]] = defaultdict(set)
        for edge in edges:
            self._incoming[edge.target].add(edge.source)
        self._memo: dict[str, set[str]] = {}

    def of(self, node_id: str) -> set[str]:
        if node_id not in self._memo:
            seen: set[str] = set()
            queue = deque(self._incoming.get(node_id, ()))
            while queue:
                current = queue.popleft()
                if current not in seen:
                    seen.add(current)
                    queue.extend(self._incoming.get(current, ()))
            self._memo[node_id] = seen
        return self._memo[node_id]


def check_node_expressions(
    node_id: str,
    config: Any,
    *,
    node_ids: set[str],
    upstream: Upstream,
    variables: Mapping[str, Any],
) -> list[ExpressionProblem]:
    problems: list[ExpressionProblem] = []
    allowed = RUN_NAMES | set(expression_environment().globals)
    for field, text in template_strings(config):
        if statement := STATEMENT.search(text):
            problems.append(ExpressionProblem(field, "EXPRESSION_STATEMENT", STATEMENT_MESSAGE, statement.start()))
            continue
        parsed = _parse(field, text, problems)
        if parsed is None:
            continue
        for name in sorted(meta.find_undeclared_variables(parsed) - allowed):
            problems.append(
                ExpressionProblem(
                    field,
                    "UNKNOWN_VARIABLE",
                    f"“{name}” is not something a run provides (use input, trigger, steps, vars or execution)",
                    _find(text, rf"\b{re.escape(name)}\b"),
                )
            )
        for root, key in _references(parsed):
            problem = _reference_problem(node_id, root, key, node_ids, upstream, variables)
            if problem:
                code, message = problem
                where = _find(text, rf"\b{root}\s*(?:\.\s*{re.escape(key)}\b|\[\s*['\"]{re.escape(key)}['\"])")
                problems.append(ExpressionProblem(field, code, message, where))
    return problems


def _parse(field: str, text: str, problems: list[ExpressionProblem]) -> jinja_nodes.Template | None:
    env = expression_environment()
    try:
        return env.parse(text)
    except TemplateSyntaxError as error:
        position, detail, segment = _locate_syntax_error(text, error)
        shown = f" in “{segment.strip()}”" if segment else ""
        message = f"expression syntax error at character {position + 1}{shown}: {detail}"
        problems.append(ExpressionProblem(field, "EXPRESSION_SYNTAX", message, position))
        return None


def _locate_syntax_error(text: str, error: TemplateSyntaxError) -> tuple[int, str, str | None]:
    """(offset, message, segment): the first `{{ }}`/`{% %}` that fails on its own, if any."""
    env = expression_environment()
    for match in _SEGMENT.finditer(text):
        if match.group(0).startswith("{%"):
            continue  # a statement is only complete with its end tag; judged as a whole below
        try:
            env.parse(match.group(0))
        except TemplateSyntaxError as segment_error:
            return match.start(), segment_error.message or str(segment_error), match.group(0)
    message = error.message or str(error)
    if "end of template" in message:
        opened = max(text.rfind("{{"), text.rfind("{%"))
        return max(opened, 0), message, None
    lines = text.split("\n")
    line = min(max((error.lineno or 1) - 1, 0), len(lines) - 1)
    return sum(len(previous) + 1 for previous in lines[:line]), message, None


def _references(parsed: jinja_nodes.Template) -> Iterator[tuple[str, str]]:
    """(`steps` or `vars`, key) for each `steps.x` / `steps['x']` / `vars.x` read."""
    for node in parsed.find_all((jinja_nodes.Getattr, jinja_nodes.Getitem)):
        target = node.node
        if not isinstance(target, jinja_nodes.Name) or target.name not in ("steps", "vars"):
            continue
        if isinstance(node, jinja_nodes.Getattr):
            yield target.name, node.attr
        elif isinstance(node.arg, jinja_nodes.Const) and isinstance(node.arg.value, str):
            yield target.name, node.arg.value


def _reference_problem(
    node_id: str,
    root: str,
    key: str,
    node_ids: set[str],
    upstream: Upstream,
    variables: Mapping[str, Any],
) -> tuple[str, str] | None:
    if root == "vars":
        if key in variables:
            return None
        known = ", ".join(sorted(variables)) or "none yet"
        return "UNKNOWN_VARIABLE", f"there is no workflow variable “{key}” (variables: {known})"
    if key not in node_ids:
        return "UNKNOWN_STEP", f"there is no step “{key}” in this workflow"
    if key == node_id:
        return "STEP_NOT_BEFORE", f"a step cannot read its own output (steps.{key})"
    if key not in upstream.of(node_id):
        return "STEP_NOT_BEFORE", f"step “{key}” does not run before this one, so steps.{key} has no output here"
    return None


def _find(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    return match.start() if match else 0
