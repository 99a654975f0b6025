"""Problems only the project can tell: what a definition names must exist there.

The engine's validation knows the definition alone. Before a run, the editor's problems list
also needs what the project holds: credentials (existing, of a type the field accepts),
connections (existing, of an accepted kind), sub-workflows, and forms. Apps above this one
(forms_app) add their checks with `register_reference_check` in their `ready()`, so this
module imports none of them.

A setting the builder must still choose (no credential, no form, a placeholder address such
as a template's `https://hooks.example.com/…`) is a `SETUP_REQUIRED` problem with a link to
where it is set up, instead of a schema's "'credential' is a required property".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from integrations.models import Connection, Credential
from workflows.engine import Problem
from workflows.engine.credential_types import CREDENTIAL_TYPES, credential_fields
from workflows.models import Workflow
from workflows.nodes import get_registry

SETUP_REQUIRED = "SETUP_REQUIRED"
# RFC 2606/6761 names that never answer: a template's placeholders use them.
_PLACEHOLDER_HOST = re.compile(r"(^|\.)(example\.(com|org|net)|example|invalid|test)$", re.IGNORECASE)
# A template's placeholder mailbox (you@example.com); `.test` addresses are left alone (tests use them).
_PLACEHOLDER_MAIL_DOMAIN = re.compile(r"(^|\.)(example\.(com|org|net)|example|invalid)$", re.IGNORECASE)

ReferenceCheck = Callable[[Any, list[tuple[int, dict]]], Iterable[Problem]]
_CHECKS: list[ReferenceCheck] = []


def register_reference_check(check: ReferenceCheck) -> ReferenceCheck:
    """Add `check(project, [(index, node), …])`; apps call this from their `ready()`."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def reference_problems(canonical: dict[str, Any], project) -> list[Problem]:
    nodes = [(i, node) for i, node in enumerate(canonical.get("nodes") or []) if isinstance(node, dict)]
    problems: list[Problem] = []
    problems.extend(_credential_problems(project, nodes))
    problems.extend(_connection_problems(project, nodes))
    problems.extend(_sub_workflow_problems(project, nodes))
    problems.extend(_placeholder_url_problems(nodes))
    problems.extend(_placeholder_email_problems(nodes))
    for check in _CHECKS:
        problems.extend(check(project, nodes))
    return problems


def setup_problem(index: int, field: str, message: str, link: str) -> Problem:
    return Problem(f"nodes[{index}].config.{field}", SETUP_REQUIRED, f"Set up first: {message}", link=link)


def chosen(config: dict, field: str) -> str | None:
    """The id a field names, unless empty or computed by an expression (checked at run time)."""
    value = config.get(field)
    if not isinstance(value, str) or not value or "{{" in value:
        return None
    return value


def _fields(nodes: list[tuple[int, dict]], keyword: str) -> Iterator[tuple[int, dict, str, list[str], bool]]:
    """(index, config, field, accepted values, required) of each top-level field carrying `keyword`."""
    registry = get_registry()
    for i, node in nodes:
        node_type = registry.get(node.get("type") or "")
        config = node.get("config")
        if node_type is None or not isinstance(config, dict):
            continue
        schema = node_type.config_schema
        for field, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and keyword in sub:
                yield i, config, field, list(sub[keyword]), field in schema.get("required", [])


def _type_title(type_name: str) -> str:
    return CREDENTIAL_TYPES[type_name]["title"]


def _credential_problems(project, nodes: list[tuple[int, dict]]) -> Iterator[Problem]:
    wanted = list(_fields_with_credentials(nodes))
    ids = {chosen(config, field) for _, config, field, _, _ in wanted} - {None}
    found = {c.id: c for c in Credential.objects.filter(project=project, id__in=ids)}
    for i, config, field, types, required in wanted:
        titles = " or ".join(_type_title(t) for t in types)
        credential_id = chosen(config, field)
        if credential_id is None:
            if required and not config.get(field):
                yield setup_problem(i, field, f"choose a {titles} credential", f"/credentials/new/{types[0]}/")
            continue
        credential = found.get(credential_id)
        if credential is None:
            message = f"there is no credential “{credential_id}” in this project; choose one of yours"
            yield Problem(f"nodes[{i}].config.{field}", "CREDENTIAL_NOT_FOUND", message, link="/credentials/")
        elif credential.type not in types:
            message = f"“{credential.name}” is a {_type_title(credential.type)} credential; this needs a {titles} one"
            yield Problem(f"nodes[{i}].config.{field}", "CREDENTIAL_WRONG_TYPE", message, link="/credentials/")


def _fields_with_credentials(nodes: list[tuple[int, dict]]) -> Iterator[tuple[int, dict, str, list[str], bool]]:
    registry = get_registry()
    for i, node in nodes:
        node_type = registry.get(node.get("type") or "")
        config = node.get("config")
        if node_type is None or not isinstance(config, dict):
            continue
        required = node_type.config_schema.get("required", [])
        for field, types in credential_fields(node_type.config_schema):
            if "." not in field and "[" not in field:
                yield i, config, field, types, field in required


def _connection_problems(project, nodes: list[tuple[int, dict]]) -> Iterator[Problem]:
    wanted = list(_fields(nodes, "x-connection-kinds"))
    ids = {chosen(config, field) for _, config, field, _, _ in wanted} - {None}
    found = {c.id: c for c in Connection.objects.filter(project=project, id__in=ids)}
    for i, config, field, kinds, required in wanted:
        connection_id = chosen(config, field)
        if connection_id is None:
            if required and not config.get(field):
                yield setup_problem(i, field, "choose the database connection to use", "/connections/")
            continue
        connection = found.get(connection_id)
        if connection is None:
            message = f"there is no connection “{connection_id}” in this project; choose one of yours"
            yield Problem(f"nodes[{i}].config.{field}", "CONNECTION_NOT_FOUND", message, link="/connections/")
        elif connection.kind not in kinds:
            message = f"“{connection.name}” is a {connection.get_kind_display()} connection; this needs a database"
            yield Problem(f"nodes[{i}].config.{field}", "CONNECTION_WRONG_KIND", message, link="/connections/")


def _sub_workflow_problems(project, nodes: list[tuple[int, dict]]) -> Iterator[Problem]:
    calls = [(i, node) for i, node in nodes if node.get("type") == "logic.sub_workflow"]
    ids = {chosen(node.get("config") or {}, "workflow_id") for _, node in calls} - {None}
    existing = set(Workflow.objects.filter(project=project, id__in=ids).values_list("id", flat=True))
    for i, node in calls:
        workflow_id = chosen(node.get("config") or {}, "workflow_id")
        if workflow_id and workflow_id not in existing:
            message = f"there is no workflow “{workflow_id}” in this project to run"
            yield Problem(f"nodes[{i}].config.workflow_id", "WORKFLOW_NOT_FOUND", message, link="/workflows/")


def _placeholder_url_problems(nodes: list[tuple[int, dict]]) -> Iterator[Problem]:
    for i, node in nodes:
        config = node.get("config")
        url = config.get("url") if isinstance(config, dict) else None
        if node.get("type") != "http.request" or not isinstance(url, str) or "{{" in url:
            continue
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        if _PLACEHOLDER_HOST.search(host):
            message = f"“{url}” is a placeholder address; enter the address of the service to call"
            yield Problem(f"nodes[{i}].config.url", SETUP_REQUIRED, f"Set up first: {message}")


def _placeholder_email_problems(nodes: list[tuple[int, dict]]) -> Iterator[Problem]:
    """A template's `to` address at a name that never answers (you@example.com): mail to nobody."""
    for i, node in nodes:
        config = node.get("config")
        to = config.get("to") if isinstance(config, dict) and node.get("type") == "email.send" else None
        addresses = [to] if isinstance(to, str) else to if isinstance(to, list) else []
        for address in addresses:
            domain = address.rsplit("@")[-1] if isinstance(address, str) and "{{" not in address else ""
            if domain and _PLACEHOLDER_MAIL_DOMAIN.search(domain):
                message = f"“{address}” is a placeholder address; enter who gets this email"
                yield Problem(f"nodes[{i}].config.to", SETUP_REQUIRED, f"Set up first: {message}")
                break


def merge_problems(engine_problems: list[Problem], project_problems: list[Problem]) -> list[Problem]:
    """Both lists, minus the schema's "required" complaint where a set-up step says it better."""
    setup_paths = {p.path for p in project_problems if p.code == SETUP_REQUIRED}
    kept = [p for p in engine_problems if not (p.path in setup_paths and p.code == "INVALID_NODE_CONFIG")]
    return kept + project_problems
