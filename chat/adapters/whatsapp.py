"""WhatsApp Cloud API: the verify-token handshake, `X-Hub-Signature-256` on every inbound POST,
text and button-reply messages in, replies out through `{graph_api_base}/{version}/{phone_number_id}/messages`.

Secrets stay in the vault: the channel's settings name three credentials of its project — the
verify token and the app secret (`hmac_secret`), the access token (`bearer`). The Graph API
base URL is a setting (tests point it at a local fake server).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from redis.exceptions import RedisError

from chat.adapters.base import Adapter, DeliveryError, SettingsInvalid, register
from flowbuilder.network import allow_list
from flowbuilder.redis import get_redis
from webhooks.targets import checked_target_url
from workflows.engine.http_client import BlockedAddressError, GuardedHttpClient, HttpClientError

logger = logging.getLogger(__name__)

DEFAULT_GRAPH_API_BASE = "https://graph.facebook.com"
DEFAULT_GRAPH_API_VERSION = "v21.0"
CREDENTIAL_SETTINGS = {
    "verify_token_credential": "hmac_secret",
    "app_secret_credential": "hmac_secret",
    "access_token_credential": "bearer",
}
REQUIRED_SETTINGS = ("phone_number_id", *CREDENTIAL_SETTINGS)
SEEN_MESSAGE_SECONDS = 86_400  # WhatsApp retries a webhook it thinks failed; each message id runs once
TIMEOUT_SECONDS = 10.0


def _credential_secret(channel, setting: str) -> str:
    from integrations.runtime import ProjectResources, ResourceNotFound

    reference = (channel.settings or {}).get(setting) or ""
    resources = ProjectResources(channel.project_id, channel.project.organization_id)
    try:
        fields = resources.credential_fields(reference, CREDENTIAL_SETTINGS[setting])
    except ResourceNotFound:
        return ""
    return str(fields.get("secret") or fields.get("token") or "")


def signature_matches(app_secret: str, raw: bytes, header: str) -> bool:
    if not app_secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def parse_messages(body: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(sender, text, payload) of every text or button-reply message in a webhook body.

    Status updates (sent, delivered, read) and message types without text are skipped.
    """
    for entry in body.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            for message in (value or {}).get("messages") or [] if isinstance(value, dict) else []:
                if not isinstance(message, dict) or not isinstance(message.get("from"), str):
                    continue
                text, payload = _text_of(message)
                if text is not None:
                    yield message["from"], text, payload


def _text_of(message: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
    kind = message.get("type")
    payload: dict[str, Any] = {"whatsapp_id": message.get("id"), "type": kind}
    if kind == "text" and isinstance(message.get("text"), dict):
        return _str(message["text"].get("body")), payload
    if kind == "interactive" and isinstance(message.get("interactive"), dict):
        interactive = message["interactive"]
        reply = interactive.get("button_reply") or interactive.get("list_reply")
        if isinstance(reply, dict):
            payload["reply_id"] = reply.get("id")
            return _str(reply.get("title")), payload
    if kind == "button" and isinstance(message.get("button"), dict):
        payload["reply_id"] = message["button"].get("payload")
        return _str(message["button"].get("text")), payload
    return None, payload


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@register
class WhatsAppAdapter(Adapter):
    type = "whatsapp"
    settings_defaults = {
        "phone_number_id": "",
        "graph_api_base": DEFAULT_GRAPH_API_BASE,
        "graph_api_version": DEFAULT_GRAPH_API_VERSION,
        **dict.fromkeys(CREDENTIAL_SETTINGS, ""),
    }

    def clean_settings(self, project, settings: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        cleaned = super().clean_settings(project, settings, partial=partial)
        errors: dict[str, str] = {}
        if not partial:
            cleaned = {**self.settings_defaults, **cleaned}
            errors.update({key: "This setting is required." for key in REQUIRED_SETTINGS if not cleaned.get(key)})
        for key, value in cleaned.items():
            if not isinstance(value, str) or len(value) > 2000:
                errors[key] = "Give a string of at most 2000 characters."
        if errors:
            raise SettingsInvalid(errors)
        if cleaned.get("phone_number_id") and not cleaned["phone_number_id"].isdigit():
            errors["phone_number_id"] = "The phone number id is the digits Meta shows (not the phone number)."
        if cleaned.get("graph_api_version") and not cleaned["graph_api_version"].replace(".", "").isalnum():
            errors["graph_api_version"] = "A version like v21.0."
        if "graph_api_base" in cleaned:
            try:
                cleaned["graph_api_base"] = checked_target_url(cleaned["graph_api_base"]).rstrip("/")
            except ValidationError as error:
                errors["graph_api_base"] = " ".join(error.messages)
        errors.update(self._credential_problems(project, cleaned))
        if errors:
            raise SettingsInvalid(errors)
        return cleaned

    def _credential_problems(self, project, cleaned: Mapping[str, Any]) -> dict[str, str]:
        from integrations.models import Credential

        problems = {}
        for setting, wanted in CREDENTIAL_SETTINGS.items():
            reference = cleaned.get(setting)
            if not reference:
                continue
            found = Credential.objects.filter(pk=reference, project=project).values_list("type", flat=True).first()
            if found != wanted:
                problems[setting] = f"Name a {wanted} credential of this project (see Credentials)."
        return problems

    def handle_inbound(self, request, channel):
        from chat.inbound import BadRequest, json_object, read_body, require_method

        require_method(request, "GET", "POST")
        if request.method == "GET":
            return self._handshake(request, channel)
        raw = read_body(request)
        header = request.headers.get("X-Hub-Signature-256") or ""
        if not signature_matches(_credential_secret(channel, "app_secret_credential"), raw, header):
            raise BadRequest("The X-Hub-Signature-256 signature is missing or wrong.", status=401, code="BAD_SIGNATURE")
        body = json_object(raw)
        received = 0
        for sender, text, payload in parse_messages(body):
            if self._first_time(channel, payload.get("whatsapp_id")):
                received += self._receive_one(channel, sender, text, payload)
        return JsonResponse({"received": received})

    def _receive_one(self, channel, sender: str, text: str, payload: dict[str, Any]) -> int:
        from chat.routing import InvalidMessage, receive

        try:
            receive(channel, sender, text, payload=payload)
        except InvalidMessage as error:
            logger.info("whatsapp message skipped on %s: %s", channel.id, error)
            return 0
        return 1

    def _handshake(self, request, channel) -> HttpResponse:
        from chat.inbound import BadRequest

        expected = _credential_secret(channel, "verify_token_credential")
        given = request.GET.get("hub.verify_token", "")
        mode = request.GET.get("hub.mode")
        if mode != "subscribe" or not expected or not hmac.compare_digest(expected.encode(), given.encode()):
            raise BadRequest("The verify token does not match.", status=403, code="FORBIDDEN")
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")

    def _first_time(self, channel, message_id: Any) -> bool:
        if not isinstance(message_id, str) or not message_id:
            return True
        digest = hashlib.sha256(message_id.encode()).hexdigest()[:32]
        try:
            return bool(get_redis().set(f"chat:wa-seen:{channel.id}:{digest}", 1, nx=True, ex=SEEN_MESSAGE_SECONDS))
        except (RedisError, OSError):
            return True

    def deliver(self, channel, conversation, message) -> None:
        settings = {**self.settings_defaults, **(channel.settings or {})}
        token = _credential_secret(channel, "access_token_credential")
        if not token:
            raise DeliveryError("The channel's access token credential is missing.", retryable=False)
        url = f"{settings['graph_api_base']}/{settings['graph_api_version']}/{settings['phone_number_id']}/messages"
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": conversation.customer_id,
            "type": "text",
            "text": {"body": message.text[:4096], "preview_url": False},
        }
        client = GuardedHttpClient(allow_list=allow_list(), timeout_seconds=TIMEOUT_SECONDS, max_response_bytes=65_536)
        try:
            response = client.request("POST", url, headers={"Authorization": f"Bearer {token}"}, json=body)
        except BlockedAddressError as error:
            raise DeliveryError(str(error), retryable=False) from None
        except HttpClientError as error:
            raise DeliveryError(str(error)) from None
        finally:
            client.close()
        if not 200 <= response.status < 300:
            retryable = response.status == 429 or response.status >= 500
            raise DeliveryError(f"The Graph API answered HTTP {response.status}.", retryable=retryable)
