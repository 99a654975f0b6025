"""Pages: the project's functions, and one function's editor (code, test panel, versions)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.services import ConflictError
from accounts.views import with_membership
from functions_app import services
from functions_app.forms import FunctionForm, credential_rows, initial_from
from functions_app.models import Function
from integrations.models import Credential

_LINE = re.compile(r"^line (\d+): ")
# Which fields each kind shows (a group may serve several kinds); the page hides the others.
FIELD_GROUPS = [
    ("code", ["source", "hosts"]),
    ("ai", ["prompt", "system", "model", "input_schema", "output_schema", "max_tokens"]),
    ("http", ["method", "url", "headers", "query", "body", "response"]),
    ("ai http", ["credential"]),
    ("code http", ["timeout_seconds"]),
]


def _project(membership):
    return membership.organization.default_project


def _can_edit(membership) -> bool:
    return Role.rank(membership.role) >= Role.rank(Role.EDITOR)


@with_membership()
def functions_page(request, membership):
    functions = Function.objects.filter(project=_project(membership))
    return render(request, "functions_app/functions.html", {"functions": functions, "can_edit": _can_edit(membership)})


def _save(request, form: FunctionForm, membership, function: Function | None) -> Function | None:
    """Create or change the function from a valid form; errors land on the form's fields."""
    spec = form.spec()
    if spec is None:
        return None
    data = form.cleaned_data
    try:
        if function is None:
            return services.create_function(_project(membership), name=data["name"], kind=data["kind"], spec=spec,
                                            description=data["description"], actor=request.user)  # fmt: skip
        if function.kind == "code" and not form.credentials_edited and "credentials" in function.spec:
            spec["credentials"] = function.spec["credentials"]  # a post without the rows keeps them
        return services.update_function(function, name=data["name"], description=data["description"], spec=spec,
                                        actor=request.user)  # fmt: skip
    except services.InvalidFunction as error:
        field = error.field.removeprefix("spec.").split(".")[0]
        form.add_error(field if field in form.fields else None, error.message)
    except ConflictError as error:
        form.add_error("name", str(error))
    return None


def _per_node_credentials(function: Function | None) -> list[str]:
    """The credential keys a code function leaves to each node: the test panel asks for them."""
    if function is None or function.kind != "code":
        return []
    return [key for key, credential_id in (function.spec.get("credentials") or {}).items() if not credential_id]


def _error_line(form: FunctionForm) -> int | None:
    """The line of a syntax error in the source, for the code editor to mark."""
    for message in form.errors.get("source", []):
        match = _LINE.match(message)
        if match:
            return int(match.group(1))
    return None


@with_membership()
def function_page(request, membership, function_id: str | None = None):
    """New (`?name=` and `?kind=` prefill it) or existing function; viewers see it read-only."""
    project = _project(membership)
    function = get_object_or_404(Function, pk=function_id, project=project) if function_id else None
    can_edit = _can_edit(membership)
    credentials = Credential.objects.filter(project=project).order_by("name")
    if function is not None:
        initial = initial_from(function)
    else:
        if not can_edit:
            return redirect("functions")
        initial = {key: request.GET[key] for key in ("name", "kind") if request.GET.get(key)}
    post = request.POST if request.method == "POST" and can_edit else None
    form = FunctionForm(post, initial=initial, credentials=credentials, editing_kind=function and function.kind)
    if post is not None and form.is_valid():
        saved = _save(request, form, membership, function)
        if saved is not None:
            messages.success(request, f"Function “{saved.name}” saved (version {saved.version}).")
            return redirect("function-edit", function_id=saved.id)
    kind = (function.kind if function else form["kind"].value()) or "code"
    context = {
        "form": form,
        "function": function,
        "kind": kind,
        "can_edit": can_edit,
        "error_line": _error_line(form) if form.is_bound else None,
        "groups": [(kinds, [form[name] for name in names], kind in kinds.split()) for kinds, names in FIELD_GROUPS],
        "versions": function.versions.select_related("created_by")[:50] if function else [],
        "credential_rows": credential_rows(form, function),
        "credential_choices": form.fields["credential"].choices[1:],
        "per_node_credentials": _per_node_credentials(function),
    }
    return render(request, "functions_app/function_form.html", context)


@require_POST
@with_membership(Role.EDITOR)
def function_delete_page(request, membership, function_id: str):
    function = get_object_or_404(Function, pk=function_id, project=_project(membership))
    services.delete_function(function, actor=request.user)
    messages.success(request, f"Function “{function.name}” deleted.")
    return redirect("functions")
