"""Function fixtures: the vault's test key, loopback allowed for the stub servers, a factory."""

from __future__ import annotations

import pytest

from functions_app import services
from functions_app.runtime import code_runner
from tests.integrations.conftest import TEST_KEY_A

DOUBLE = "def main(input, ctx):\n    print('doubling', input['x'])\n    return {'double': input['x'] * 2}\n"


@pytest.fixture(autouse=True)
def test_key_ring(settings):
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_A


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]


@pytest.fixture
def make_function(acme, alice):
    def make(name: str = "double", kind: str = "code", spec: dict | None = None, project=None):
        spec = spec if spec is not None else {"language": "python", "source": DOUBLE}
        return services.create_function(project or acme.default_project, name=name, kind=kind, spec=spec, actor=alice)

    return make


@pytest.fixture(scope="session")
def runner():
    """The process's code runner (its pool of started sandboxes is shared by the tests)."""
    return code_runner()


# The loopback HTTP server and the in-process run of an execution, as the workflow tests have them.
from tests.workflows.conftest import http_server, run_now  # noqa: E402, F401
