"""Who may do what: authenticated, in the project, on a plan with API access, with the role."""

from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions, permissions

from accounts.models import ApiKey, Project, Role
from accounts.scope import Scope, membership_for_user
from accounts.services import default_project, effective_key_role
from flowbuilder.api.exceptions import PlanUpgradeRequired


class IsAuthenticated(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.user and request.user.is_authenticated:
            return True
        raise exceptions.NotAuthenticated(
            "Authentication required: send 'Authorization: Bearer <API key>' or sign in."
        )


def resolve_scope(request) -> Scope:
    """The organization, project and role of this request (X-Project-Id picks the project)."""
    api_key = request.auth if isinstance(request.auth, ApiKey) else None
    project_id = request.headers.get("X-Project-Id", "").strip()
    project = None
    if project_id:
        project = Project.objects.select_related("organization").filter(pk=project_id).first()
        if project is None:
            raise exceptions.PermissionDenied(f"You have no access to project {project_id}.")
    if api_key is not None:
        # Set by authenticate_api_key: the lower of the key's role and its owner's current role.
        role = getattr(api_key, "acting_role", None) or effective_key_role(api_key)
        organization, user = api_key.organization, None
    else:
        membership = membership_for_user(request.user, project.organization_id if project else None)
        if membership is None:
            raise exceptions.PermissionDenied(
                f"You have no access to project {project_id}."
                if project_id
                else "You belong to no organization."
            )
        organization, role, user = membership.organization, membership.role, request.user
    if project is None:
        project = default_project(organization)
    elif project.organization_id != organization.id:
        raise exceptions.PermissionDenied(f"You have no access to project {project_id}.")
    return Scope(organization=organization, project=project, role=role, user=user, api_key=api_key)


class HasProjectAccess(permissions.BasePermission):
    def has_permission(self, request, view):
        request.access = resolve_scope(request)
        request._request.access = request.access  # for middleware outside DRF
        return True


class PlanAllowsApiAccess(permissions.BasePermission):
    def has_permission(self, request, view):
        access = request.access
        if access.api_key is not None and access.organization.plan not in settings.PLAN_API_ACCESS:
            raise PlanUpgradeRequired(
                f"API access is not part of the {access.organization.get_plan_display()} plan; "
                "upgrade to Business or Enterprise."
            )
        return True


class HasRole(permissions.BasePermission):
    """Viewers read, editors write; a view may ask for more with `required_role`.

    `required_role` is a role or a mapping of HTTP method to role.
    """

    def has_permission(self, request, view):
        needed = getattr(view, "required_role", None)
        if isinstance(needed, dict):
            needed = needed.get(request.method)
        if needed is None:
            needed = Role.VIEWER if request.method in permissions.SAFE_METHODS else Role.EDITOR
        if not request.access.allows(needed):
            raise exceptions.PermissionDenied(f"This needs the {needed} role; you are {request.access.role}.")
        return True
