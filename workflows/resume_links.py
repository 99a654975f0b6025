"""Signed resume links: an approver resumes a waiting run from an email, without an account.

The token signs (execution id, node id) with the site's key, so it can't be forged or
pointed at another run; it expires after FLOWBUILDER_RESUME_LINK_MAX_AGE_DAYS.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "flowbuilder.workflows.resume-link"


def make_resume_token(execution_id: str, node_id: str) -> str:
    return signing.dumps({"e": execution_id, "n": node_id}, salt=SALT, compress=True)


def read_resume_token(token: str) -> tuple[str, str]:
    """(execution id, node id); raises signing.BadSignature (or SignatureExpired)."""
    max_age = settings.FLOWBUILDER_RESUME_LINK_MAX_AGE_DAYS * 86_400
    data = signing.loads(token, salt=SALT, max_age=max_age)
    return data["e"], data["n"]


def resume_url(execution_id: str, node_id: str) -> str:
    path = reverse("resume-link", kwargs={"token": make_resume_token(execution_id, node_id)})
    return settings.FLOWBUILDER_BASE_URL.rstrip("/") + path


def resume_links_for(definition: dict[str, Any], execution_id: str) -> dict[str, str]:
    """A link for every wait-for-event node, for expressions: `{{ execution.resume_links.approve }}`."""
    return {
        node["id"]: resume_url(execution_id, node["id"])
        for node in definition.get("nodes", [])
        if node.get("type") == "logic.wait_for_event"
    }
