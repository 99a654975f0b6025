"""OpenAPI: X-Request-Id on every answer, and the X-RateLimit-* headers every answer to an identified caller carries.

A postprocessing hook (after the envelope), so each response an operation documents says
which headers come with it: the three X-RateLimit-* on every status but 401 (an unidentified
caller is counted against nobody), and Retry-After with a 429.
"""

from __future__ import annotations

RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {
        "description": "Requests allowed in the window that binds first (per minute or per day, by plan).",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in that window, this one counted.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "X-RateLimit-Reset": {
        "description": "Unix time (seconds) at which that window starts again.",
        "schema": {"type": "integer", "minimum": 0},
    },
}
REQUEST_ID = {
    "description": "This answer's id: quote it when reporting a problem (the server's logs carry it). "
    "A well-formed X-Request-Id sent with the request (8 to 64 of A-Z a-z 0-9 . _ : -) is echoed back.",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{8,64}$"},
}
RETRY_AFTER = {
    "description": "Seconds to wait before the next request.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}


def add_rate_limit_headers(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("headers", {})
    components.update(RATE_LIMIT_HEADERS)
    components["Retry-After"] = RETRY_AFTER
    components["X-Request-Id"] = REQUEST_ID
    refs = {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_LIMIT_HEADERS}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status_code, response in operation["responses"].items():
                if "$ref" in response:
                    continue
                headers = response.setdefault("headers", {})
                headers.setdefault("X-Request-Id", {"$ref": "#/components/headers/X-Request-Id"})
                if status_code == "401":
                    continue
                for name, ref in refs.items():
                    headers.setdefault(name, ref)
                if status_code == "429":
                    headers.setdefault("Retry-After", {"$ref": "#/components/headers/Retry-After"})
    return result
