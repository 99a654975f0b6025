"""Signed resume links: an approver resumes a waiting run from an email, without an account.

The token signs (execution id, node id) with the site's key, so it can't be forged or
pointed at another run. It is issued at the run's creation time, not at the moment it is
made: the link a step put in an email and the `resume_url` the API shows are the same link
(they differed whenever the two fell in different seconds). It expires
FLOWBUILDER_RESUME_LINK_MAX_AGE_DAYS after the run was created.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "flowbuilder.workflows.resume-link"


class _IssuedAtSigner(signing.TimestampSigner):
    """Signs with a fixed issue time, so one run's link is the same whenever it is made."""

    def __init__(self, issued_at: datetime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.issued_at = issued_at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self.issued_at.timestamp()))


def make_resume_token(execution_id: str, node_id: str, issued_at: datetime) -> str:
    signer = _IssuedAtSigner(issued_at, salt=SALT)
    return signer.sign_object({"e": execution_id, "n": node_id}, compress=True)


def read_resume_token(token: str) -> tuple[str, str]:
    """(execution id, node id); raises signing.BadSignature (or SignatureExpired)."""
    max_age = settings.FLOWBUILDER_RESUME_LINK_MAX_AGE_DAYS * 86_400
    data = signing.loads(token, salt=SALT, max_age=max_age)
    return data["e"], data["n"]


def resume_url(execution, node_id: str) -> str:
    token = make_resume_token(execution.id, node_id, execution.created_at)
    return settings.FLOWBUILDER_BASE_URL.rstrip("/") + reverse("resume-link", kwargs={"token": token})


def resume_links_for(execution) -> dict[str, str]:
    """A link for every wait-for-event node, for expressions: `{{ execution.resume_links.approve }}`."""
    return {
        node["id"]: resume_url(execution, node["id"])
        for node in execution.definition.get("nodes", [])
        if node.get("type") == "logic.wait_for_event"
    }
