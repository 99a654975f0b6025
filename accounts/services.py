"""Account actions: each one writes, audits, and owns its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import (
    AiTokenUsage,
    ApiKey,
    AuditEvent,
    Membership,
    Organization,
    Plan,
    Project,
    Role,
)
from flowbuilder.compiled_query import CompiledQuery

API_KEY_PREFIX = "wf_live_"

# Every API call looks up its key and its organization's default project: their SQL is built
# once per process (flowbuilder.compiled_query, D19 addendum (4)).
API_KEY_QUERY = CompiledQuery(lambda key_hash: ApiKey.objects.select_related("organization").filter(key_hash=key_hash))
DEFAULT_PROJECT_QUERY = CompiledQuery(
    lambda organization_id: Project.objects.filter(organization_id=organization_id, is_default=True)
)


# Writing last_used_at on every call would turn each read into a write; a minute is enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def default_project(organization: Organization) -> Project:
    """The organization's default project (there is exactly one), its organization attached."""
    project = DEFAULT_PROJECT_QUERY.first(organization.pk)
    if project is None:
        raise Project.DoesNotExist(f"{organization.pk} has no default project.")
    project.organization = organization
    return project


class ConflictError(Exception):
    """The request is valid but the current state does not allow it (HTTP 409)."""


class InvalidApiKey(Exception):
    """The presented key can't be used; the message says why (never echoing the key)."""


def authenticate_api_key(plaintext: str) -> ApiKey:
    """The live key for a plaintext, with its organization; one path for HTTP and WebSockets."""
    if not plaintext.startswith(API_KEY_PREFIX):
        raise InvalidApiKey(f"Malformed API key: keys start with '{API_KEY_PREFIX}'.")
    api_key = API_KEY_QUERY.first(hash_api_key(plaintext))
    if api_key is None:
        raise InvalidApiKey("Unknown API key.")
    if api_key.is_revoked:
        raise InvalidApiKey("This API key was revoked.")
    if api_key.is_expired:
        raise InvalidApiKey("This API key has expired.")
    api_key.acting_role = effective_key_role(api_key)
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def effective_key_role(api_key: ApiKey) -> str:
    """The lower of the key's role and its owner's current role in the key's organization.

    Read on every request, so a demotion takes effect on the next one. A key with no owner
    (created by a script, or its creator's user row deleted) acts with its own role.
    """
    if api_key.created_by_id is None:
        return api_key.role
    owner_role = (
        Membership.objects.filter(organization_id=api_key.organization_id, user_id=api_key.created_by_id)
        .values_list("role", flat=True)
        .first()
    )
    if owner_role is None:
        raise InvalidApiKey("The member who created this API key no longer belongs to the organization.")
    return min(api_key.role, owner_role, key=Role.rank)


def hash_api_key(plaintext: str) -> str:
    # Keys carry 256 bits of randomness, so a fast unsalted hash is enough to look them up.
    return hashlib.sha256(plaintext.encode()).hexdigest()


def record_audit(
    organization: Organization,
    action: str,
    *,
    actor=None,
    api_key: ApiKey | None = None,
    project: Project | None = None,
    target=None,
    target_type: str = "",
    target_id: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one audit event. Every service function that changes something calls this."""
    if target is not None:
        target_type = target_type or target._meta.model_name
        target_id = target_id or str(target.pk)
    if api_key is not None and actor is None:
        label = f"api key {api_key.name} ({api_key.prefix}…)"
    elif actor is not None:
        label = actor.get_username()
    else:
        label = "system"
    return AuditEvent.objects.create(
        organization=organization,
        project=project,
        actor=actor,
        api_key=api_key,
        actor_label=label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
    )


@dataclass(frozen=True)
class CreatedApiKey:
    api_key: ApiKey
    plaintext: str


def create_api_key(
    organization: Organization,
    *,
    name: str,
    created_by=None,
    role: str = Role.EDITOR,
    expires_at: dt.datetime | None = None,
    acting_key: ApiKey | None = None,
) -> CreatedApiKey:
    plaintext = API_KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            organization=organization,
            name=name,
            prefix=plaintext[: len(API_KEY_PREFIX) + 4],
            key_hash=hash_api_key(plaintext),
            role=role,
            created_by=created_by,
            expires_at=expires_at,
        )
        record_audit(
            organization,
            "api_key.created",
            actor=created_by,
            api_key=acting_key,
            target=api_key,
            details={"name": name, "role": role},
        )
    return CreatedApiKey(api_key=api_key, plaintext=plaintext)


def revoke_api_key(api_key: ApiKey, *, actor=None, acting_key: ApiKey | None = None) -> ApiKey:
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if api_key.revoked_at is None:
            api_key.revoked_at = timezone.now()
            api_key.save(update_fields=["revoked_at"])
            record_audit(
                api_key.organization,
                "api_key.revoked",
                actor=actor,
                api_key=acting_key,
                target=api_key,
                details={"name": api_key.name},
            )
    return api_key


def change_member_role(
    membership: Membership, *, role: str, actor=None, acting_key: ApiKey | None = None
) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        old_role = membership.role
        if old_role == role:
            return membership
        _lock_admins_or_refuse(membership, "An organization keeps at least one admin.")
        membership.role = role
        membership.save(update_fields=["role"])
        record_audit(
            membership.organization,
            "member.role_changed",
            actor=actor,
            api_key=acting_key,
            target=membership,
            details={"user": membership.user.get_username(), "from": old_role, "to": role},
        )
    return membership


def _lock_admins_or_refuse(membership: Membership, message: str) -> None:
    """Refuse to take away the organization's last admin (the caller holds a transaction)."""
    if membership.role != Role.ADMIN:
        return
    admins = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=Role.ADMIN
    )
    if len(admins) <= 1:
        raise ConflictError(message)


def remove_member(membership: Membership, *, actor=None, acting_key: ApiKey | None = None) -> None:
    """Remove a member: their API keys in this organization are revoked, their sessions end.

    Sessions end everywhere (a session is per user, not per organization): removal must take
    effect on the member's next request, and signing in again is cheap for other organizations.
    """
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user", "organization").get(
            pk=membership.pk
        )
        _lock_admins_or_refuse(membership, "An organization keeps at least one admin; promote another first.")
        organization, user = membership.organization, membership.user
        keys = ApiKey.objects.filter(organization=organization, created_by=user, revoked_at__isnull=True)
        for api_key in keys:
            revoke_api_key(api_key, actor=actor, acting_key=acting_key)
        ended = end_user_sessions(user)
        record_audit(
            organization,
            "member.sessions_ended",
            actor=actor,
            api_key=acting_key,
            target_type="user",
            target_id=str(user.pk),
            details={"user": user.get_username(), "sessions": ended},
        )
        record_audit(
            organization,
            "member.removed",
            actor=actor,
            api_key=acting_key,
            target=membership,
            details={"user": user.get_username(), "role": membership.role},
        )
        membership.delete()


def end_user_sessions(user) -> int:
    """Delete the user's Django sessions (database sessions: decoded one by one)."""
    from django.contrib.sessions.models import Session

    user_id = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def create_organization(name: str, *, plan: str = Plan.FREE) -> Organization:
    with transaction.atomic():
        organization = Organization.objects.create(name=name, plan=plan)
        Project.objects.create(organization=organization, name="Default", is_default=True)
    return organization


def add_member(organization: Organization, *, email: str, password: str | None, role: str, actor=None):
    """Create the user if needed and make them a member with `role`."""
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=email, defaults={"email": email})
        if password:
            user.set_password(password)
            user.save()
        membership, _ = Membership.objects.update_or_create(
            organization=organization, user=user, defaults={"role": role}
        )
        record_audit(
            organization,
            "member.added",
            actor=actor,
            target=membership,
            details={"user": email, "role": role},
        )
    return membership


def add_to_daily_counter(model, keys: dict, amounts: dict[str, int]) -> None:
    """Add `amounts` to the counter row `keys` names, creating it on first use (race-safe)."""
    increments = {field: F(field) + amount for field, amount in amounts.items() if amount}
    if not increments:
        return
    rows = model.objects.filter(**keys)
    if rows.update(**increments):
        return
    try:
        with transaction.atomic():
            model.objects.create(**keys, **amounts)
    except IntegrityError:  # another process created the row first
        rows.update(**increments)


def record_usage(organization_id: str, **amounts: int) -> None:
    """Add to today's usage counters (api_calls, executions, steps, ai_tokens).

    Counted in Redis and added to the rows in batches (`accounts.usage`, D19).
    """
    from accounts.usage import record_usage as count_in_redis

    count_in_redis(organization_id, **amounts)


def record_ai_usage(
    organization_id: str, *, model: str, input_tokens: int, output_tokens: int, workflow_id: str = ""
) -> None:
    """Meter one AI call: per model and workflow (in and out) and in the day's total."""
    keys = {"organization_id": organization_id, "date": timezone.now().date(), "model": model}
    keys["workflow_id"] = workflow_id or ""
    add_to_daily_counter(AiTokenUsage, keys, {"input_tokens": input_tokens, "output_tokens": output_tokens})
    record_usage(organization_id, ai_tokens=input_tokens + output_tokens)
