"""Pages: credentials (forms generated from each type's schema) and connections with a test button."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.services import ConflictError
from accounts.views import with_membership
from integrations import services
from integrations.credential_types import CREDENTIAL_TYPES
from integrations.forms import ConnectionForm, CredentialForm
from integrations.models import Connection, Credential


def _project(membership):
    return membership.organization.default_project


def _can_edit(membership) -> bool:
    return Role.rank(membership.role) >= Role.rank(Role.EDITOR)


@with_membership()
def credentials_page(request, membership):
    credentials = Credential.objects.filter(project=_project(membership))
    return render(
        request,
        "integrations/credentials.html",
        {"credentials": credentials, "types": CREDENTIAL_TYPES, "can_edit": _can_edit(membership)},
    )


def _save_credential(request, form, membership, credential, type_name):
    try:
        if credential is None:
            services.create_credential(
                _project(membership),
                name=form.cleaned_data["name"],
                type=type_name,
                fields=form.credential_fields(),
                actor=request.user,
            )
        else:
            services.update_credential(
                credential, name=form.cleaned_data["name"], fields=form.credential_fields(), actor=request.user
            )
    except services.InvalidInput as error:
        form.add_error(None, error.message)
        return False
    except ConflictError as error:
        form.add_error("name", str(error))
        return False
    return True


@with_membership(Role.EDITOR)
def credential_form_page(request, membership, type_name: str | None = None, credential_id: str | None = None):
    credential = None
    if credential_id:
        credential = get_object_or_404(Credential, pk=credential_id, project=_project(membership))
        type_name = credential.type
    if type_name not in CREDENTIAL_TYPES:
        raise Http404("No such credential type.")
    initial = (
        {"name": credential.name, **{f"field_{k}": v for k, v in credential.metadata.items()}} if credential else None
    )
    form = CredentialForm(request.POST or None, type_name=type_name, editing=credential is not None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_credential(request, form, membership, credential, type_name)
    ):
        messages.success(request, f"Credential “{form.cleaned_data['name']}” saved.")
        return redirect("credentials")
    context = {"form": form, "credential": credential, "type_name": type_name, "schema": CREDENTIAL_TYPES[type_name]}
    return render(request, "integrations/credential_form.html", context)


@require_POST
@with_membership(Role.EDITOR)
def credential_delete_page(request, membership, credential_id: str):
    credential = get_object_or_404(Credential, pk=credential_id, project=_project(membership))
    try:
        services.delete_credential(credential, actor=request.user)
        messages.success(request, f"Credential “{credential.name}” deleted.")
    except ConflictError as error:
        messages.error(request, str(error))
    return redirect("credentials")


@with_membership()
def connections_page(request, membership):
    project = _project(membership)
    form = ConnectionForm(request.POST or None)
    if request.method == "POST":
        if not _can_edit(membership):
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            kind, password = data.pop("kind"), data.pop("password") or None
            try:
                services.create_connection(project, kind=kind, values=data, password=password, actor=request.user)
                messages.success(request, f"Connection “{data['name']}” added.")
                return redirect("connections")
            except services.InvalidInput as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            except ConflictError as error:
                form.add_error("name", str(error))
    connections = Connection.objects.filter(project=project)
    context = {"form": form, "connections": connections, "can_edit": _can_edit(membership)}
    return render(request, "integrations/connections.html", context)


@require_POST
@with_membership(Role.EDITOR)
def connection_test_page(request, membership, connection_id: str):
    connection = get_object_or_404(Connection, pk=connection_id, project=_project(membership))
    check = services.test_connection(connection)
    (messages.success if check.ok else messages.error)(request, f"{connection.name}: {check.message}")
    return redirect("connections")


@require_POST
@with_membership(Role.EDITOR)
def connection_delete_page(request, membership, connection_id: str):
    connection = get_object_or_404(Connection, pk=connection_id, project=_project(membership))
    try:
        services.delete_connection(connection, actor=request.user)
        messages.success(request, f"Connection “{connection.name}” deleted.")
    except ConflictError as error:  # the built-in Datasets connection stays
        messages.error(request, str(error))
    return redirect("connections")
