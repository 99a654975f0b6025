"""Plain words: schema and runtime errors read as sentences with the field's label (issue 16, item 5)."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from tests.engine.support import T0, flow, link, node
from workflows.engine import default_registry, validate_definition
from workflows.engine.plain_words import explain_schema_error, humanize


def _messages(nodes: list[dict], **extra) -> dict[str, str]:
    definition = flow(nodes, [link("start", n["id"]) for n in nodes], **extra)
    return {p.path: p.message for p in validate_definition(definition, default_registry())}


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("url", "URL"),
        ("http_method", "HTTP method"),
        ("timeout_seconds", "Timeout seconds"),
        ("form_id", "Form ID"),
        ("keep_input", "Keep input"),
        ("sql", "SQL"),
        ("hmac_secret", "HMAC secret"),
        ("fields", "Fields"),
    ],
)
def test_labels_are_proper_cased_with_acronyms(key, label):
    assert humanize(key) == label


@pytest.mark.parametrize(
    ("config", "path", "message"),
    [
        # was: "{} is not valid under any of the given schemas"
        ({}, "nodes[1].config", "Fill in either Condition, or Left and Operator"),
        (
            {"condition": "x", "left": "a", "operator": "eq"},
            "nodes[1].config",
            "Fill in either Condition, or Left and Operator, not both",
        ),
        # was: "'equals' is not one of ['contains', ...]"
        (
            {"left": "a", "operator": "equals"},
            "nodes[1].config.operator",
            "Operator must be one of: contains, ends with, equals, ",
        ),
    ],
)
def test_if_settings_problems_read_as_sentences(config, path, message):
    messages = _messages([node("check", "logic.if", config)])
    assert messages[path].startswith(message)


def test_node_settings_problems_name_the_field_by_its_label():
    messages = _messages(
        [
            node("shape", "data.set", {"keep_input": "yes"}),
            node("call", "http.request", {"url": "", "timeout_seconds": 0, "extra": 1}),
            node("route", "logic.switch", {"cases": [[1]]}),
            node("each", "logic.for_each", {"items": 3, "concurrency": 99}, retry={"max_attempts": 50}),
        ]
    )
    assert messages == {
        "nodes[1].config.fields": "Fields is required",  # was: "'fields' is a required property"
        "nodes[1].config.keep_input": "Keep input must be true or false",
        "nodes[2].config": "“extra” is not a setting of this node",
        "nodes[2].config.url": "URL can't be empty",
        "nodes[2].config.timeout_seconds": "Timeout seconds must be more than 0",
        "nodes[3].config.cases[0]": "Cases (item 1) must be text, a number, true/false or an object with Port and When",
        "nodes[4].config.items": "Items must be a list or text",
        "nodes[4].config.concurrency": "Concurrency must be at most 32",
        "nodes[4].retry.max_attempts": "Max attempts must be at most 10",
    }


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        (
            {"properties": {"fields": {"type": "array", "minItems": 1}}},
            {"fields": []},
            "Fields needs at least one entry",
        ),
        (
            {"properties": {"fields": {"type": "object", "minProperties": 2}}},
            {"fields": {}},
            "Fields needs at least 2 entries",
        ),
        (
            {"properties": {"to": {"type": "string", "format": "email"}}},
            {"to": "nope"},
            "To must be a valid email address",
        ),
        (
            {"properties": {"amount": {"title": "Order amount", "type": "number"}}},
            {"amount": "1"},
            "Order amount must be a number",
        ),
        (
            {"properties": {"port": {"pattern": "^[A-Za-z0-9_-]+$"}}},
            {"port": "a b"},
            "Port may use only letters, digits, _ and -",
        ),
        ({"properties": {"name": {"maxLength": 3}}}, {"name": "long"}, "Name must be at most 3 characters long"),
        ({"properties": {"tags": {"items": {"type": "string"}}}}, {"tags": ["a", 1]}, "Tags (item 2) must be text"),
        (
            {"properties": {"map": {"additionalProperties": {"type": "string"}}}},
            {"map": {"k": 1}},
            "Map “k” must be text",
        ),
    ],
)
def test_schema_rules_become_sentences(schema, value, message):
    from jsonschema import FormatChecker

    validator = Draft202012Validator({"type": "object", **schema}, format_checker=FormatChecker())
    (error,) = list(validator.iter_errors(value))
    assert explain_schema_error(error, {"type": "object", **schema}).startswith(message)


def test_a_web_address_format_reads_as_such():
    from jsonschema.exceptions import ValidationError

    schema = {"type": "object", "properties": {"url": {"type": "string", "format": "uri"}}}
    error = ValidationError(
        "'nope' is not a 'uri'", validator="format", validator_value="uri", instance="nope", schema={}, path=["url"]
    )
    assert explain_schema_error(error, schema) == "URL must be a valid web address (like https://example.com/path)"


def test_schema_sentences_never_quote_the_value():
    schema = {"type": "object", "properties": {"token": {"type": "integer"}}}
    (error,) = list(Draft202012Validator(schema).iter_errors({"token": "s3cr3t-value"}))
    assert "s3cr3t" not in explain_schema_error(error, schema)


def test_the_if_operators_are_served_with_words():
    if_type = default_registry().get("logic.if").describe()
    labels = if_type["config_schema"]["properties"]["operator"]["x-enum-labels"]
    assert labels["eq"] == "equals" and labels["gte"] == "is greater than or equal to"
    assert set(labels) == set(if_type["config_schema"]["properties"]["operator"]["enum"])


def test_a_bad_time_zone_is_a_validation_problem():
    messages = _messages([], settings={"timezone": "Mars/Olympus"})
    assert (
        messages["settings.timezone"]
        == "“Mars/Olympus” is not a known time zone (use a name such as Europe/Madrid or UTC)"
    )
    assert "settings.timezone" not in _messages([], settings={"timezone": "Europe/Madrid"})


# ---- at run time ------------------------------------------------------------------------------


def test_a_step_error_names_the_field_and_what_is_missing(run):
    definition = flow([node("check", "logic.if", {"condition": "{{ input.amount > 100 }}"})], [link("start", "check")])
    outcome = run(definition, {"total": 5})
    assert outcome.status == "failed"
    # was: "node 'check', field 'condition': undefined: 'dict object' has no attribute 'amount'"
    assert outcome.error == {
        "node_id": "check",
        "code": "EXPRESSION_ERROR",
        "message": "Condition: Amount is missing from the input",
        "field": "config.condition",
    }


def test_if_operators_do_not_treat_booleans_as_numbers(run, journal):
    flagged = flow(
        [
            node("check", "logic.if", {"left": "{{ input.flag }}", "operator": "eq", "right": 1}),
            node("yes", "logic.succeed"),
        ],
        [link("start", "check"), link("check", "yes", "true")],
    )
    outcome = run(flagged, {"flag": True})
    assert outcome.status == "completed"
    assert journal.statuses("yes") == [("skipped", 0)]  # out of `false`: true does not equal 1
    compared = flow(
        [node("compare", "logic.if", {"left": "{{ input.flag }}", "operator": "gt", "right": 0})],
        [link("start", "compare")],
    )
    outcome = run(compared, {"flag": True})
    assert outcome.error["code"] == "BAD_COMPARISON"
    assert (
        outcome.error["message"]
        == "Can't check whether true/false is greater than a number (true and false are not numbers)"
    )


def test_now_and_today_use_the_run_clock_and_the_workflow_time_zone(run):
    # T0 is the fake clock's time; in Tokyo (UTC+9) the date may already be the next day.
    definition = flow(
        [
            node(
                "stamp",
                "data.set",
                {
                    "fields": {
                        "now": "{{ now() }}",
                        "day": "{{ today() }}",
                        "text": "{{ now() | format_date('%H:%M %Z') }}",
                    }
                },
            )
        ],
        [link("start", "stamp")],
        settings={"timezone": "Asia/Tokyo"},
    )
    outcome = run(definition, {})
    local = T0.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert outcome.output == {
        "now": local.isoformat(),
        "day": local.date().isoformat(),
        "text": local.strftime("%H:%M JST"),
    }
