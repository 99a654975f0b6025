"""An unexpected error in a subscription reaches the client as INTERNAL_ERROR, never its own text."""

from types import SimpleNamespace

from graphql import GraphQLError
from rest_framework.exceptions import NotFound

from graphql_api.schema import INTERNAL_MESSAGE, schema


def test_an_unexpected_error_over_the_websocket_is_logged_and_shown_as_internal(caplog):
    crash = GraphQLError("could not open /srv/secret/path.db", original_error=RuntimeError("/srv/secret/path.db"))
    refusal = GraphQLError("No such execution.", original_error=NotFound("No such execution."))
    schema.process_errors([crash, refusal], execution_context=SimpleNamespace(context={}))
    assert crash.formatted["message"] == INTERNAL_MESSAGE
    assert crash.formatted["extensions"]["code"] == "INTERNAL_ERROR"
    assert "secret" not in str(crash.formatted)
    assert refusal.formatted["message"] == "No such execution."  # an answer, kept as it is
    assert any("secret" in record.getMessage() or record.exc_info for record in caplog.records)
