"""Defences of the public form page: a honeypot field and a per-sender rate limit."""

from __future__ import annotations

import time

from django.conf import settings

from flowbuilder.redis import get_redis

# People never see this input (it is hidden and skipped by keyboard and screen readers);
# form-filling bots fill it. The hyphen keeps it apart from every field key.
HONEYPOT_FIELD = "contact-website"
WINDOW_SECONDS = 60


def submissions_per_minute() -> int:
    return getattr(settings, "FORMS_SUBMISSIONS_PER_MINUTE", 10)


def allow_submission(form_id: str, sender_hash: str, *, now: float | None = None) -> bool:
    """Count one submission attempt by this sender to this form; False past the limit.

    Fixed one-minute windows in Redis, so every web process shares the count.
    """
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
    key = f"forms:ratelimit:{form_id}:{sender_hash}:{window}"
    pipe = get_redis().pipeline()
    pipe.incr(key)
    pipe.expire(key, WINDOW_SECONDS + 10)
    count = pipe.execute()[0]
    return count <= submissions_per_minute()
