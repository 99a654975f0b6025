"""The hook lookup runs its SQL compiled once per process (flowbuilder.compiled_query, D19 addendum (3)).

It must answer exactly as the ORM query it stands for: the hook with its workflow, project,
organization and published definition in one statement; nothing for a token that may not run.
"""

from __future__ import annotations

import pytest

from tests.webhooks.inbound_support import live_hook
from webhooks.inbound import _live_hook_query, ensure_hooks, hash_token, regenerate_token, resolve_live_hook
from workflows import services

pytestmark = pytest.mark.django_db


def test_a_live_token_gives_the_hook_its_workflow_project_organization_and_definition_in_one_query(
    acme, alice, django_assert_num_queries
):
    workflow, token = live_hook(acme.default_project, alice)
    with django_assert_num_queries(1):
        live = resolve_live_hook(token)
        organization_name = live.workflow.project.organization.name  # loaded, not queried
    expected = next(iter(_live_hook_query(hash_token(token))))  # the plain ORM query

    assert live.hook.pk == expected.pk and live.hook.node_id == "hook"
    assert live.workflow.pk == workflow.pk and live.version == workflow.published_version
    assert live.workflow.project.pk == acme.default_project.pk and organization_name == acme.name
    assert (
        live.definition
        == expected.published_definition
        == workflow.versions.get(number=workflow.published_version).definition
    )
    assert live.config == {"methods": ["POST"]}


@pytest.mark.parametrize(
    "token",
    [
        "",
        "no-such-token",
        "x" * 5000,
        "'; DROP TABLE webhooks_inboundhook; --",
        "%s",
        "%(token)s",
        "\x00",
        "\u202e\u0000é",
        "\x00flowbuilder-compiled-query-slot\x00",
    ],  # fmt: skip
)
def test_odd_tokens_find_nothing(token, acme, alice):
    live_hook(acme.default_project, alice)
    assert resolve_live_hook(token) is None


def test_inactive_unpublished_and_regenerated_tokens_find_nothing(acme, alice):
    inactive, inactive_token = live_hook(acme.default_project, alice, name="Off")
    services.set_workflow_active(inactive, False, actor=alice)
    regenerated, old_token = live_hook(acme.default_project, alice, name="Rolled")
    assert resolve_live_hook(old_token) is not None
    regenerate_token(ensure_hooks(regenerated)["hook"], actor=alice)
    draft = services.create_workflow(acme.default_project, name="Draft", definition=inactive.definition, actor=alice)

    assert resolve_live_hook(inactive_token) is None
    assert resolve_live_hook(old_token) is None  # stops at once: nothing about the token is cached
    assert resolve_live_hook(ensure_hooks(draft)["hook"].token) is None
