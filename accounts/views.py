"""Pages: dashboard, and the admins' API keys and members pages."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import AddMemberForm, ApiKeyForm, MemberRoleForm
from accounts.models import ApiKey, Membership, Role, UsageCounter
from accounts.scope import membership_for_user
from accounts.usage import flush_usage


def with_membership(min_role: str = Role.VIEWER):
    """Login required, and a membership with at least `min_role`, passed to the view."""

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            membership = membership_for_user(request.user)
            if membership is None or Role.rank(membership.role) < Role.rank(min_role):
                raise PermissionDenied
            return view(request, membership, *args, **kwargs)

        return wrapper

    return decorator


@with_membership()
def dashboard(request, membership):
    organization = membership.organization
    today = timezone.now().date()
    flush_usage(organization.id)  # counts still in Redis first: the dashboard is exact
    usage = UsageCounter.objects.filter(organization=organization, date=today).first()
    from workflows.views import dashboard_context  # workflows imports accounts: import at call time

    context = {"organization": organization, "membership": membership, "usage_today": usage}
    context.update(dashboard_context(request, membership))
    return render(request, "accounts/dashboard.html", context)


@with_membership(Role.ADMIN)
def api_keys_page(request, membership):
    organization = membership.organization
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        created = services.create_api_key(organization, created_by=request.user, **form.cleaned_data)
        new_key = created.plaintext
        form = ApiKeyForm()
    keys = ApiKey.objects.filter(organization=organization).select_related("created_by")
    return render(request, "accounts/api_keys.html", {"form": form, "keys": keys, "new_key": new_key})


@require_POST
@with_membership(Role.ADMIN)
def revoke_api_key_page(request, membership, key_id: str):
    api_key = get_object_or_404(ApiKey, pk=key_id, organization=membership.organization)
    services.revoke_api_key(api_key, actor=request.user)
    messages.success(request, f"Key “{api_key.name}” revoked.")
    return redirect("api-keys")


@with_membership(Role.ADMIN)
def members_page(request, membership):
    organization = membership.organization
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_member(
            organization,
            email=form.cleaned_data["email"].lower(),
            password=form.cleaned_data["password"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
        messages.success(request, f"{form.cleaned_data['email']} added.")
        return redirect("members")
    members = Membership.objects.filter(organization=organization).select_related("user")
    return render(request, "accounts/members.html", {"form": form, "members": members, "roles": Role.choices})


@require_POST
@with_membership(Role.ADMIN)
def change_role_page(request, membership, member_id: str):
    target = get_object_or_404(Membership, pk=member_id, organization=membership.organization)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid role.")
        return redirect("members")
    try:
        services.change_member_role(target, role=form.cleaned_data["role"], actor=request.user)
        messages.success(request, f"{target.user.email} is now {form.cleaned_data['role']}.")
    except services.ConflictError as error:
        messages.error(request, str(error))
    return redirect("members")


@require_POST
@with_membership(Role.ADMIN)
def remove_member_page(request, membership, member_id: str):
    target = get_object_or_404(Membership, pk=member_id, organization=membership.organization)
    email = target.user.email
    try:
        services.remove_member(target, actor=request.user)
        messages.success(request, f"{email} removed; their API keys were revoked and their sessions ended.")
    except services.ConflictError as error:
        messages.error(request, str(error))
    return redirect("members")
