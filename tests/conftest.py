"""Shared fixtures: three people, like healthchecks' — alice (admin of Acme), bob (her
teammate, with whatever role a test gives him) and charlie (an outsider in Globex)."""

from __future__ import annotations

import signal

import pytest
from channels.layers import channel_layers
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Plan, Role
from flowbuilder.redis import get_redis


@pytest.fixture(autouse=True)
def clean_redis():
    """Each test starts with empty counters and queues (the test Redis db is ours alone)."""
    get_redis().flushdb()
    yield


@pytest.fixture(autouse=True)
def restore_signal_handlers():
    """Put pytest's SIGINT/SIGTERM handlers back after each test.

    A few tests drain a queue with an in-process RQ worker (`work(burst=True)`), which
    installs its own handlers and leaves them: a later Ctrl+C or SIGTERM then raised RQ's
    StopRequested inside whatever test was running instead of stopping pytest.
    """
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in saved.items():
        signal.signal(number, handler)


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Each test gets its own channel layer object.

    A test drives its consumers with `async_to_sync`, which runs them on a new event loop
    every time, while Channels caches one layer object per process. channels_redis binds
    its receive locks to the loop that first waits on them, so a lock left behind by one
    test's (cancelled) receive fails the next test with "bound to a different event loop".
    daphne runs one loop for its whole life, so this is a test-harness concern only.
    """
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def acme(db):
    return services.create_organization("Acme", plan=Plan.BUSINESS)


@pytest.fixture
def globex(db):
    return services.create_organization("Globex", plan=Plan.BUSINESS)


def _member(organization, email: str, role: str):
    return services.add_member(organization, email=email, password="correct horse battery", role=role).user


@pytest.fixture
def alice(acme):
    return _member(acme, "alice@acme.test", Role.ADMIN)


@pytest.fixture
def bob_editor(acme):
    return _member(acme, "bob@acme.test", Role.EDITOR)


@pytest.fixture
def bob_viewer(acme):
    return _member(acme, "bob@acme.test", Role.VIEWER)


@pytest.fixture
def charlie(globex):
    return _member(globex, "charlie@globex.test", Role.ADMIN)


@pytest.fixture
def make_key():
    """A factory: make_key(org, role=..., **fields) → (ApiKey, plaintext)."""

    def make(organization, role: str = Role.ADMIN, **fields):
        created = services.create_api_key(
            organization, name=fields.pop("name", "test key"), role=role, **fields
        )
        return created.api_key, created.plaintext

    return make


@pytest.fixture
def api_client_for():
    """A factory: an APIClient authenticated with the given plaintext key."""

    def make(plaintext: str | None = None, **headers):
        client = APIClient()
        if plaintext:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}", **headers)
        return client

    return make


@pytest.fixture
def alice_api(acme, alice, make_key, api_client_for):
    _, plaintext = make_key(acme, Role.ADMIN)
    return api_client_for(plaintext)


@pytest.fixture
def charlie_api(globex, charlie, make_key, api_client_for):
    _, plaintext = make_key(globex, Role.ADMIN)
    return api_client_for(plaintext)


@pytest.fixture
def session_client_for():
    """A factory: a browser-like client logged in as the user, with CSRF checks on."""

    def make(user):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


User = get_user_model()
