"""Shapes of credentials and connections. No serializer here has a field for a secret's value."""

from __future__ import annotations

from rest_framework import serializers

from integrations import addresses
from integrations.credential_types import secret_field_names
from integrations.models import AI_EXCLUDED_PATTERN, Connection, ConnectionKind, Credential, CredentialType, SslMode


class CredentialSerializer(serializers.ModelSerializer):
    project_id = serializers.CharField(read_only=True)
    secret_fields = serializers.SerializerMethodField(help_text="Names of the secret fields that are set.")
    status = serializers.CharField(read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Credential
        fields = [
            "id",
            "project_id",
            "name",
            "type",
            "metadata",
            "secret_fields",
            "status",
            "last_tested_at",
            "last_test_message",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_secret_fields(self, credential) -> list[str]:
        # Which secrets are set is derived from the schema, never by decrypting.
        return sorted(secret_field_names(credential.type)) if credential.has_secret else []

    def get_created_by(self, credential) -> str | None:
        return credential.created_by.email if credential.created_by else None


class CredentialCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=CredentialType.choices)
    metadata = serializers.DictField(required=False, default=dict, help_text="The non-secret fields.")
    secret = serializers.DictField(
        required=False, default=dict, write_only=True, help_text="The secret fields; never returned."
    )


class CredentialUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    metadata = serializers.DictField(required=False, default=dict)
    secret = serializers.DictField(required=False, default=dict, write_only=True)


class ConnectionSerializer(serializers.ModelSerializer):
    project_id = serializers.CharField(read_only=True)
    credential_id = serializers.CharField(read_only=True, allow_null=True)
    has_password = serializers.BooleanField(source="has_secret", read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Connection
        fields = [
            "id",
            "project_id",
            "name",
            "kind",
            "host",
            "port",
            "database",
            "username",
            "ssl_mode",
            "base_url",
            "credential_id",
            "has_password",
            "statement_timeout_ms",
            "row_limit",
            "ai_excluded",
            "status",
            "last_tested_at",
            "last_test_message",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# One rule for the schema (its `pattern`) and the server: an http(s) scheme, a host part, no
# whitespace. Django's URLValidator refused URLs the schema's `format: uri` allowed (a DNS label
# over 63 characters), so schema-valid bodies were refused.
HTTP_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#@]+(?:[/?#]\S*)?$"


class ConnectionWriteSerializer(serializers.Serializer):
    """Create (all required fields) or PATCH (`partial=True`); the project check is the service's."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ConnectionKind.choices)
    host = serializers.CharField(max_length=255, required=False, allow_blank=True)
    port = serializers.IntegerField(min_value=1, max_value=65535, required=False, allow_null=True)
    database = serializers.CharField(max_length=255, required=False, allow_blank=True)
    username = serializers.CharField(max_length=255, required=False, allow_blank=True)
    password = serializers.CharField(required=False, allow_blank=True, write_only=True, trim_whitespace=False)
    ssl_mode = serializers.ChoiceField(choices=SslMode.choices, required=False)
    base_url = serializers.RegexField(
        HTTP_URL_PATTERN,
        max_length=2000,
        required=False,
        allow_blank=True,
        trim_whitespace=False,  # " http://…" is not what the pattern says, so it is refused
        error_messages={"invalid": "Enter an http:// or https:// URL."},
        help_text="The API's base URL (http:// or https://); needed by a REST connection.",
    )
    credential_id = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    statement_timeout_ms = serializers.IntegerField(min_value=100, max_value=300_000, required=False)
    row_limit = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    ai_excluded = serializers.ListField(
        child=serializers.RegexField(AI_EXCLUDED_PATTERN, max_length=300, trim_whitespace=False),
        max_length=500,
        required=False,
        help_text="Tables (`orders`, `public.orders`) and columns (`customers.email`) that the Ask-data "
        "model never sees in the schema, nor in the rows it words an answer from.",
    )

    def validate_host(self, value: str) -> str:
        value = value.strip()
        if value and (problem := addresses.host_problem(value)):
            raise serializers.ValidationError(problem)
        return value

    def validate(self, attrs):
        if self.partial and "kind" in attrs:
            raise serializers.ValidationError({"kind": ["The kind of a connection cannot change."]})
        kind = attrs.get("kind") or self.context.get("kind", "")
        if problem := addresses.password_problem(kind, attrs.get("password")):
            raise serializers.ValidationError({"password": [problem]})
        return attrs


class CheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    code = serializers.CharField()
    message = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField(), required=False)
    suggested_sql = serializers.CharField(required=False, help_text="SQL that creates a read-only role.")


class IntegrationSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    category = serializers.ChoiceField(choices=["credential", "connection"])
    type = serializers.CharField()
    status = serializers.CharField()
    last_tested_at = serializers.DateTimeField(allow_null=True)
    last_test_message = serializers.CharField()


class CredentialTypeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=CredentialType.choices)
    title = serializers.CharField()
    description = serializers.CharField()
    secret_fields = serializers.ListField(child=serializers.CharField())
    schema = serializers.DictField(help_text="JSON Schema of the fields; writeOnly ones are the secret part.")


class DatabaseSchemaSerializer(serializers.Serializer):
    connection_id = serializers.CharField()
    tables = serializers.ListField(
        child=serializers.DictField(),
        help_text="Tables (schema, name) with their columns: name, type, nullable, primary_key, "
        "references (`table.column` of a foreign key, or null).",
    )


class AskSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=2000, help_text="The question, in plain words.")
    credential_id = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The LLM credential to ask with; default: the project's only LLM credential.",
    )
    model = serializers.CharField(required=False, allow_blank=True, max_length=200)
    answer_in_words = serializers.BooleanField(required=False, default=True)
    rows_as = serializers.ChoiceField(choices=["objects", "arrays"], required=False, default="objects")
    refresh_schema = serializers.BooleanField(required=False, default=False)


class ConnectionQuerySerializer(serializers.Serializer):
    sql = serializers.CharField(
        max_length=100_000, trim_whitespace=False, help_text="One read-only statement (SELECT, WITH … SELECT)."
    )
    params = serializers.JSONField(
        required=False, help_text="Values for %s (a list) or %(name)s (an object) placeholders."
    )
    row_limit = serializers.IntegerField(
        min_value=1, max_value=100_000, required=False, help_text="At most the connection's row limit."
    )
    rows_as = serializers.ChoiceField(choices=["objects", "arrays"], required=False, default="objects")

    def validate_params(self, value):
        if value is not None and not isinstance(value, (list, dict)):
            raise serializers.ValidationError("params is a list (for %s) or an object (for %(name)s).")
        return value


class AskColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()


class AskUsageSerializer(serializers.Serializer):
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    calls = serializers.IntegerField()


class AskAnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    sql = serializers.CharField(help_text="The one read-only SELECT that ran.")
    columns = AskColumnSerializer(many=True)
    rows = serializers.ListField(help_text="Objects keyed by column name, or arrays with `rows_as: arrays`.")
    row_count = serializers.IntegerField()
    truncated = serializers.BooleanField()
    answer = serializers.CharField(help_text="One short sentence in words.")
    repaired = serializers.BooleanField(help_text="The first query failed and the model corrected it once.")
    model = serializers.CharField()
    usage = AskUsageSerializer()


class ConnectionQueryAnswerSerializer(serializers.Serializer):
    connection_id = serializers.CharField()
    columns = AskColumnSerializer(many=True)
    rows = serializers.ListField(help_text="Objects keyed by column name, or arrays with `rows_as: arrays`.")
    row_count = serializers.IntegerField()
    truncated = serializers.BooleanField(help_text="Rows past the connection's row or size limit were cut.")
    elapsed_ms = serializers.FloatField(help_text="Time the query took, connecting included, in milliseconds.")
