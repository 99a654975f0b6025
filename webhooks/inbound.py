"""Inbound webhook triggers: tokens per `trigger.webhook` node, resolving them, signatures, runs.

A token is the only thing a caller knows, so every way a token can fail to start a run
(unknown, workflow inactive, node not in the published version) looks the same to it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone

from accounts.services import record_audit
from flowbuilder.compiled_query import CompiledQuery
from flowbuilder.redis import get_redis
from webhooks.models import InboundHook
from webhooks.signing import standard_signature_matches
from workflows.idempotency import StartedRun, start_once
from workflows.models import Workflow, WorkflowStatus, WorkflowVersion
from workflows.services import start_execution

WEBHOOK_TRIGGER = "trigger.webhook"
DEFAULT_METHODS = ("POST",)
DEFAULT_RESPONSE_MODE = "immediate"
# Accepted signature headers, in the order they are looked for: GitHub's, then generic ones.
SIGNATURE_HEADERS = ("X-Hub-Signature-256", "X-Signature-256", "X-Signature")
# Secret fields of a credential that can hold an HMAC key, in the order they are tried.
SECRET_FIELDS = ("secret", "key", "token", "password")


class HookMisconfigured(Exception):
    """The node names a signing secret that cannot be found: the owner must fix the node."""


@dataclass(frozen=True)
class LiveHook:
    """A token that may start a run right now: its workflow is active and publishes the node."""

    hook: InboundHook
    workflow: Workflow
    version: int
    config: Mapping[str, Any]
    # The published version's definition, read once: the run starts from it.
    definition: Mapping[str, Any] | None = None

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self.config.get("methods") or DEFAULT_METHODS)

    @property
    def response_mode(self) -> str:
        return self.config.get("response_mode") or DEFAULT_RESPONSE_MODE


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 43 url-safe characters, 256 bits


def hash_token(token: str) -> str:
    # 256 random bits: a fast unsalted hash is enough to look a token up (like API keys).
    return hashlib.sha256(token.encode()).hexdigest()


def create_hook(workflow: Workflow, node_id: str) -> InboundHook:
    """A new hook row: the token's hash to find it, the token sealed to show it again."""
    token = new_token()
    hook = InboundHook.objects.create(workflow=workflow, node_id=node_id, token_hash=hash_token(token))
    hook.seal({"token": token})
    hook.save(update_fields=["ciphertext", "nonce", "key_id"])
    return hook


def webhook_nodes(definition: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    """The config of each `trigger.webhook` node of a definition, by node id."""
    nodes = (definition or {}).get("nodes") or []
    return {node["id"]: node.get("config") or {} for node in nodes if node.get("type") == WEBHOOK_TRIGGER}


def published_definition(workflow: Workflow) -> dict[str, Any] | None:
    if workflow.published_version is None:
        return None
    # values_list: a model loaded with only() fetched its deferred workflow_id in a second query.
    return workflow.versions.filter(number=workflow.published_version).values_list("definition", flat=True).first()


def ensure_hooks(workflow: Workflow) -> dict[str, InboundHook]:
    """A hook for every webhook node of the draft and of the published version, by node id.

    Both, because the editor shows the URL of a node before it is published, and a node
    removed from the draft keeps working until the next publish.
    """
    wanted = {**webhook_nodes(published_definition(workflow)), **webhook_nodes(workflow.definition)}
    hooks = {hook.node_id: hook for hook in InboundHook.objects.filter(workflow=workflow)}
    for node_id in wanted.keys() - hooks.keys():
        try:
            with transaction.atomic():
                hooks[node_id] = create_hook(workflow, node_id)
        except IntegrityError:  # another request created it first
            hooks[node_id] = InboundHook.objects.get(workflow=workflow, node_id=node_id)
    return {node_id: hooks[node_id] for node_id in sorted(wanted)}


def regenerate_token(hook: InboundHook, *, actor=None, api_key=None) -> InboundHook:
    """Give the node a new URL; the old token stops working at once."""
    with transaction.atomic():
        hook = InboundHook.objects.select_for_update().select_related("workflow__project__organization").get(pk=hook.pk)
        token = new_token()
        hook.token_hash = hash_token(token)
        hook.seal({"token": token})
        hook.regenerated_at = timezone.now()
        hook.save(update_fields=["token_hash", "ciphertext", "nonce", "key_id", "regenerated_at"])
        project = hook.workflow.project
        record_audit(
            project.organization,
            "workflow.hook_regenerated",
            actor=actor,
            api_key=api_key,
            project=project,
            target=hook.workflow,
            details={"node_id": hook.node_id},
        )
    return hook


def _live_hook_query(token_hash: str):
    # One statement: the hook, its workflow, project and organization, and the published
    # version's definition as a subquery (a second query per request before, D19 addendum (2)).
    published = WorkflowVersion.objects.filter(
        workflow=OuterRef("workflow"), number=OuterRef("workflow__published_version")
    ).values("definition")[:1]
    return (
        InboundHook.objects.select_related("workflow__project__organization")
        .annotate(published_definition=Subquery(published, output_field=JSONField()))
        .filter(
            token_hash=token_hash,
            workflow__status=WorkflowStatus.ACTIVE,
            workflow__published_version__isnull=False,
        )[:1]
    )


# Its SQL is built once per process (D19 addendum (3)): Django's building it was a quarter of
# a sync run's web CPU.
LIVE_HOOK_QUERY = CompiledQuery(_live_hook_query)


def resolve_live_hook(token: str) -> LiveHook | None:
    """The hook behind a token if it may run now, else None (whatever the reason)."""
    hook = LIVE_HOOK_QUERY.first(hash_token(token))
    if hook is None:
        return None
    definition = hook.published_definition
    config = webhook_nodes(definition).get(hook.node_id)
    if config is None:
        return None
    version = hook.workflow.published_version
    return LiveHook(hook=hook, workflow=hook.workflow, version=version, config=config, definition=definition)


def signing_secret(live: LiveHook) -> str | None:
    """The HMAC key the node asks for, or None when requests are not signed.

    `hmac_secret` names a credential of the workflow's project (read through the vault);
    a value that is not a credential id is taken as the secret itself: deprecated, only
    versions published before validation refused it can still hold one.
    """
    reference = live.config.get("hmac_secret")
    if not reference:
        return None
    from integrations.runtime import ProjectResources, ResourceNotFound

    resources = ProjectResources(live.workflow.project_id, live.workflow.project.organization_id)
    try:
        fields = resources.credential_fields(reference)
    except ResourceNotFound:
        if reference.startswith("cred_"):
            raise HookMisconfigured(f"The signing credential {reference} is not in this project.") from None
        return reference
    for name in SECRET_FIELDS:
        if fields.get(name):
            return str(fields[name])
    raise HookMisconfigured(f"The credential {reference} holds no secret usable for HMAC.")


class SignatureRefused(Exception):
    """A Standard Webhooks request that must not start a run; the message says why."""


def check_standard_signature(live: LiveHook, secret: str, raw_body: bytes, headers: Mapping[str, str]) -> None:
    """Verify `webhook-id`/`webhook-timestamp`/`webhook-signature` and refuse a replayed id.

    The id is remembered (Redis SET NX) for twice the tolerance, so within the window it is
    accepted once; it is marked only once the signature is good, so forgeries burn nothing.
    """
    message_id = headers.get("webhook-id", "").strip()
    timestamp = headers.get("webhook-timestamp", "").strip()
    given = headers.get("webhook-signature", "")
    if not message_id or not timestamp.isdigit() or len(message_id) > 255:
        raise SignatureRefused("Standard Webhooks requests need webhook-id and a webhook-timestamp in unix seconds.")
    tolerance = settings.FLOWBUILDER_WEBHOOK_TOLERANCE_SECONDS
    if abs(time.time() - int(timestamp)) > tolerance:
        raise SignatureRefused(f"webhook-timestamp is more than {tolerance} seconds away from now.")
    if not standard_signature_matches(secret, message_id, timestamp, raw_body, given):
        raise SignatureRefused("Wrong webhook-signature.")
    digest = hashlib.sha256(message_id.encode()).hexdigest()
    if not get_redis().set(f"hook-replay:{live.hook.pk}:{digest}", 1, nx=True, ex=2 * tolerance):
        raise SignatureRefused("This webhook-id was already received: a replay.")


def signature_is_valid(
    secret: str, raw_body: bytes, headers: Mapping[str, str], header_name: str | None = None
) -> bool:
    """True when the signature header carries the hex HMAC-SHA256 of the raw body (timing-safe).

    Deprecated: nothing in it changes between two sends of one body, so a captured request
    can be replayed. Kept for senders that sign this way (GitHub-style); prefer Standard Webhooks.
    The node's `signature_header` names the header; without one, the common names are tried.
    """
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    for name in (header_name,) if header_name else SIGNATURE_HEADERS:
        given = headers.get(name)
        if given:
            given = given.strip()
            if given.lower().startswith("sha256="):
                given = given[len("sha256=") :]
            return hmac.compare_digest(expected.encode(), given.lower().encode())
    return False


def start_hook_run(
    live: LiveHook,
    trigger: dict[str, Any],
    *,
    idempotency_key: str | None = None,
    raw_body: bytes = b"",
    enqueue: bool = True,
) -> StartedRun:
    """Start the hook's workflow; with a key, a retry of the same body gets the first run back.

    Keys are per workflow, shared with `POST /workflows/{id}/execute`; the body is the raw
    request body (headers and query do not count). `enqueue=False`: the caller runs it
    (`workflows.inline`).
    """
    start = partial(
        start_execution, live.workflow, input=trigger, version=live.version, mode="webhook",
        trigger_node_id=live.hook.node_id, checked_payload=("body", trigger.get("body")),
        enqueue=enqueue, run_here=not enqueue, definition=live.definition,
    )  # fmt: skip
    if idempotency_key is None:
        return StartedRun(execution=start(), replayed=False)
    body_hash = hashlib.sha256(raw_body).hexdigest()
    return start_once(live.workflow, key=idempotency_key, body_hash=body_hash, start=start)
