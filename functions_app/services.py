"""Creating, changing and deleting functions; every change of what a function does is a version."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db import IntegrityError, transaction

from accounts.models import Project
from accounts.services import ConflictError, record_audit
from functions_app.models import Function, FunctionVersion
from functions_app.specs import SpecError, check_name, check_spec, credential_ids
from integrations.models import Credential
from workflows.engine import Problem

InvalidFunction = SpecError


def _who(actor, api_key) -> dict[str, Any]:
    return {"actor": actor if getattr(actor, "is_authenticated", False) else None, "api_key": api_key}


def _check_credentials(project: Project, kind: str, spec: dict[str, Any]) -> None:
    wanted = set(credential_ids(kind, spec))
    if not wanted:
        return
    found = dict(Credential.objects.filter(project=project, pk__in=wanted).values_list("pk", "type"))
    for credential_id in sorted(wanted):
        if credential_id not in found:
            raise SpecError(f"No credential {credential_id} in this project.", "spec.credential")
        if kind == "ai" and found[credential_id] != "llm":
            raise SpecError(f"Credential {credential_id} is a {found[credential_id]}, not an llm.", "spec.credential")


def _add_version(function: Function, actor) -> FunctionVersion:
    return FunctionVersion.objects.create(
        function=function, number=function.version, kind=function.kind, spec=function.spec, created_by=actor
    )


def create_function(
    project: Project, *, name: str, kind: str, spec: dict[str, Any], description: str = "", actor=None, api_key=None
) -> Function:
    check_name(name)
    check_spec(kind, spec)
    _check_credentials(project, kind, spec)
    who = _who(actor, api_key)
    with transaction.atomic():
        function = Function(project=project, name=name, kind=kind, spec=spec, description=description,
                            created_by=who["actor"])  # fmt: skip
        try:
            with transaction.atomic():
                function.save()
        except IntegrityError:
            raise ConflictError(f"A function named {name!r} already exists in this project.") from None
        _add_version(function, who["actor"])
        record_audit(project.organization, "function.created", project=project, target=function,
                     details={"name": name, "kind": kind}, **who)  # fmt: skip
    return function


def update_function(
    function: Function,
    *,
    name: str | None = None,
    description: str | None = None,
    spec: dict[str, Any] | None = None,
    actor=None,
    api_key=None,
) -> Function:
    """Rename, re-describe, or change the spec (a new version); a spec equal to the current one adds none."""
    who = _who(actor, api_key)
    if name is not None:
        check_name(name)
    if spec is not None:
        check_spec(function.kind, spec)
        _check_credentials(function.project, function.kind, spec)
    with transaction.atomic():
        function = Function.objects.select_for_update().get(pk=function.pk)
        changed: list[str] = []
        if name is not None and name != function.name:
            function.name, changed = name, [*changed, "name"]
        if description is not None and description != function.description:
            function.description, changed = description, [*changed, "description"]
        new_version = spec is not None and spec != function.spec
        if new_version:
            function.spec, function.version = spec, function.version + 1
            changed.append("spec")
        try:
            with transaction.atomic():
                function.save()
        except IntegrityError:
            raise ConflictError(f"A function named {name!r} already exists in this project.") from None
        if new_version:
            _add_version(function, who["actor"])
        if changed:
            record_audit(function.project.organization, "function.updated", project=function.project,
                         target=function, details={"changed": changed, "version": function.version}, **who)  # fmt: skip
    return function


def delete_function(function: Function, *, actor=None, api_key=None) -> None:
    with transaction.atomic():
        record_audit(function.project.organization, "function.deleted", project=function.project, target=function,
                     details={"name": function.name}, **_who(actor, api_key))  # fmt: skip
        function.delete()


def missing_function_problems(project_id: str, canonical: dict[str, Any]) -> list[Problem]:
    """A problem per `function.call` node naming no function of the project, with a "create it" action."""
    nodes = canonical.get("nodes") if isinstance(canonical, dict) else None
    calls = [
        (index, node["config"]["function"])
        for index, node in enumerate(nodes if isinstance(nodes, list) else [])
        if isinstance(node, dict) and node.get("type") == "function.call"
        and isinstance(node.get("config"), dict) and isinstance(node["config"].get("function"), str)
    ]  # fmt: skip
    if not calls:  # most definitions call no function: no query to build
        return []
    missing = set(missing_functions(project_id, [name for _, name in calls]))
    return [
        Problem(
            f"nodes[{index}].config.function",
            "UNKNOWN_FUNCTION",
            f"no function named {name!r} in this project: create it before running",
            # The page opens with the name filled in; `api` is the same thing as an API call.
            action={"label": f"Create function {name}", "href": new_function_href(name),
                    "api": {"method": "POST", "path": "/api/v1/functions", "body": {"name": name}}},
            link=new_function_href(name),
        )  # fmt: skip
        for index, name in calls
        if name in missing
    ]


def new_function_href(name: str) -> str:
    """The function page, new, with `name` filled in (a code function unless the builder picks another kind)."""
    return f"/functions/new/?{urlencode({'kind': 'code', 'name': name})}"


def missing_functions(project_id: str, names: list[str]) -> list[str]:
    """The names no function of the project has, in the order given."""
    known = set(Function.objects.filter(project_id=project_id, name__in=names).values_list("name", flat=True))
    return [name for name in dict.fromkeys(names) if name not in known]
