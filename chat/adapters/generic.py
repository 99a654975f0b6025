"""Generic HTTP channel: `POST /channels/<token>/messages {"from", "text"}` in; replies POSTed
to the channel's `callback_url`, signed like outbound webhooks (webhooks.signing) and sent
through the network guard (the webhooks' guarded sender)."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import JsonResponse

from chat.adapters.base import Adapter, DeliveryError, SettingsInvalid, register
from webhooks.delivery import TIMEOUT_SECONDS, GuardedWebhookSender
from webhooks.signing import generate_secret, signature_headers
from webhooks.targets import checked_target_url

EVENT_TYPE = "chat.message"
# Answers that will not change when sent again (a bad request, a wrong address).
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 405, 410, 413, 422})


@register
class GenericAdapter(Adapter):
    type = "generic"
    settings_defaults = {"callback_url": ""}
    secret_created = True

    def clean_settings(self, project, settings: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
        cleaned = super().clean_settings(project, settings, partial=partial)
        url = cleaned.get("callback_url")
        if url:
            if not isinstance(url, str) or len(url) > 2000:
                problem = "Give an http:// or https:// address of at most 2000 characters."
                raise SettingsInvalid({"callback_url": problem})
            try:
                cleaned["callback_url"] = checked_target_url(url)
            except ValidationError as error:
                raise SettingsInvalid({"callback_url": " ".join(error.messages)}) from None
        return cleaned

    def new_secret(self) -> dict[str, str]:
        return {"signing_secret": generate_secret()}

    def handle_inbound(self, request, channel):
        from chat.inbound import json_object, read_body, require_method
        from chat.routing import receive

        require_method(request, "POST")
        body = json_object(read_body(request))
        payload = body.get("payload") if isinstance(body.get("payload"), dict) else None
        result = receive(channel, body.get("from"), body.get("text"), payload=payload)
        response = JsonResponse(result.answer(), status=result.http_status)
        if result.retry_after is not None:
            response["Retry-After"] = str(result.retry_after)
        return response

    def deliver(self, channel, conversation, message) -> None:
        url = (channel.settings or {}).get("callback_url")
        if not url:
            raise DeliveryError("The channel has no callback URL to send replies to.", retryable=False)
        body = json.dumps(
            {
                "type": EVENT_TYPE,
                "id": message.id,
                "channel_id": channel.id,
                "conversation_id": conversation.id,
                "to": conversation.customer_id,
                "text": message.text,
                "created_at": message.created_at.isoformat(),
            }
        ).encode()
        secret = channel.unseal()["signing_secret"]
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Flowbuilder-Chat/1.0",
            **signature_headers(
                secret, delivery_id=message.id, event_type=EVENT_TYPE, body=body, timestamp=int(time.time())
            ),
        }
        outcome = GuardedWebhookSender().post(url, body, headers, TIMEOUT_SECONDS)
        if not outcome.succeeded:
            permanent = not outcome.retryable or outcome.response_code in PERMANENT_STATUSES
            raise DeliveryError(outcome.error or "The callback did not accept the reply.", retryable=not permanent)
