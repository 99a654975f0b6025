"""ETag, If-Match and If-None-Match for the resources that carry a revision (D13).

`ETag: "r<revision>"` names the stored revision of a workflow, form, credential, connection
or webhook. `If-Match` on PATCH/PUT/DELETE is checked twice: against the row the view
loaded (a stale tag is refused before the body is even validated) and again under the row's
lock inside the write (`flowbuilder.revisions.locked_row`), so of two writers holding the same
tag exactly one succeeds. No header, or `If-Match: *`, writes unconditionally as before.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import HttpResponseNotModified
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from flowbuilder.api.exceptions import ApiError
from flowbuilder.revisions import Revisioned, StaleRevision, check_revision

_TAG = r'(?:W/)?"[\x21\x23-\x7e]*"'
# RFC 9110 §13.1.1: "*" or a comma-separated list of entity tags.
TAG_LIST_PATTERN = rf"^\s*(?:\*|{_TAG}(?:\s*,\s*{_TAG})*)\s*$"
_TAG_LIST = re.compile(TAG_LIST_PATTERN)
_ONE_TAG = re.compile(_TAG)
_OUR_TAG = re.compile(r'^"r([0-9]{1,18})"$')


def etag_for(instance: Revisioned) -> str:
    return f'"r{instance.revision}"'


def with_etag(response, instance: Revisioned):
    response["ETag"] = etag_for(instance)
    return response


def _tags(request, header: str) -> list[str] | None:
    """The entity tags in a conditional header; None when it is absent or "*"."""
    value = request.headers.get(header)
    if value is None:
        return None
    if not _TAG_LIST.match(value):
        raise ApiError(
            400,
            "VALIDATION_ERROR",
            f'{header}: expected "*" or entity tags as sent in ETag, such as "r3".',
            field=header,
        )
    if value.strip() == "*":
        return None
    return _ONE_TAG.findall(value)


def expected_revisions(request, instance: Revisioned) -> frozenset[int] | None:
    """The revisions `If-Match` accepts (None: no precondition), refusing a stale one at once.

    Strong comparison (RFC 9110 §8.8.3.2): a weak tag, or one we never sent, matches nothing.
    """
    tags = _tags(request, "If-Match")
    if tags is None:
        return None
    expected = frozenset(int(found.group(1)) for tag in tags if (found := _OUR_TAG.match(tag)))
    with precondition_checked():
        check_revision(instance, expected)
    return expected


@contextmanager
def revision_write(not_found: Exception):
    """One transaction for a write and the answer built from it, with its refusals as API errors.

    The row lock the write takes is held until the answer has been read, so the ETag sent back
    names exactly the revision this request wrote. A row deleted meanwhile is `not_found`.
    """
    with precondition_checked():
        try:
            with transaction.atomic():
                yield
        except ObjectDoesNotExist:
            raise not_found from None


@contextmanager
def precondition_checked():
    """Turn a StaleRevision raised by a write into 412 PRECONDITION_FAILED."""
    try:
        yield
    except StaleRevision as stale:
        raise ApiError(
            412,
            "PRECONDITION_FAILED",
            "The resource changed since you read it (If-Match does not name its current revision); "
            "read it again, reapply your change and send the new ETag.",
            details={"current_etag": f'"r{stale.current}"'},
            field="If-Match",
        ) from None


def not_modified(request, instance: Revisioned):
    """A 304 answer when `If-None-Match` names the current revision (weak comparison), else None."""
    tags = request.headers.get("If-None-Match")
    if tags is None or not _TAG_LIST.match(tags):
        return None  # a malformed validator is ignored: the full answer is always correct
    current = etag_for(instance)
    if tags.strip() == "*" or any(tag.removeprefix("W/") == current for tag in _ONE_TAG.findall(tags)):
        return with_etag(HttpResponseNotModified(), instance)
    return None


# --- OpenAPI -------------------------------------------------------------------------------

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The stored revision of this resource, e.g. `"r3"`; send it back as `If-Match`.',
    response=[200, 201, 304],
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    pattern=TAG_LIST_PATTERN,
    description=(
        "Write only if the resource is still at this revision (an ETag from an earlier answer); "
        "otherwise 412 PRECONDITION_FAILED and nothing is written. Absent or `*`: write "
        "unconditionally."
    ),
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag you hold: 304 Not Modified, with no body, while it is still current.",
)
PRECONDITION_FAILED = OpenApiResponse(
    response={"$ref": "#/components/schemas/Error"},
    description="`PRECONDITION_FAILED`: If-Match names a revision that is no longer current.",
)
NOT_MODIFIED = OpenApiResponse(description="If-None-Match names the current revision; no body.")


def etag_read_schema(serializer, *, cacheable: bool = True) -> dict:
    """extend_schema arguments for a GET answering an ETag (and 304 when `cacheable`)."""
    if not cacheable:
        return {"responses": {200: serializer}, "parameters": [ETAG_HEADER]}
    return {"responses": {200: serializer, 304: NOT_MODIFIED}, "parameters": [IF_NONE_MATCH, ETAG_HEADER]}


def etag_write_schema(serializer=None, *, request=None, parameters=()) -> dict:
    """extend_schema arguments for a PATCH/PUT (answering `serializer`) or DELETE (None)."""
    responses = {200: serializer} if serializer is not None else {204: None}
    arguments = {
        "responses": {**responses, 412: PRECONDITION_FAILED},
        "parameters": [*parameters, IF_MATCH, ETAG_HEADER],
    }
    if request is not None:
        arguments["request"] = request
    return arguments
