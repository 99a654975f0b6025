"""Functions in and out of the API. The spec's shape per kind lives in functions_app.specs."""

from __future__ import annotations

from rest_framework import serializers

from functions_app.models import Function, FunctionKind, FunctionVersion


class FunctionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True, help_text="The current version number.")

    class Meta:
        model = Function
        fields = ["id", "name", "kind", "description", "spec", "version", "created_at", "updated_at"]
        read_only_fields = fields


class FunctionCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=FunctionKind.choices)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    spec = serializers.JSONField(
        required=False,
        help_text="Kind-specific: code {language, source, hosts, credentials, timeout_seconds}; "
        "ai {prompt, system, input_schema, output_schema, model, credential, max_tokens}; "
        "http {method, url, headers, query, body, credential, response, timeout_seconds}.",
    )
    # A code function may give its language and source at the top level, as the example does.
    language = serializers.ChoiceField(choices=["python"], required=False)
    source = serializers.CharField(required=False, trim_whitespace=False, max_length=100_000)

    def validate(self, data):
        spec = dict(data.get("spec") or {}) if isinstance(data.get("spec"), dict) or "spec" not in data else None
        if spec is None:
            raise serializers.ValidationError({"spec": "spec must be an object."})
        if data["kind"] == FunctionKind.CODE:
            for key in ("language", "source"):
                if key in data:
                    spec[key] = data.pop(key)
            spec.setdefault("language", "python")
        data["spec"] = spec
        return data


class FunctionUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    spec = serializers.JSONField(required=False, help_text="Replaces the whole spec; a change is a new version.")
    source = serializers.CharField(required=False, trim_whitespace=False, max_length=100_000,
                                   help_text="Code functions: a new source (a new version).")  # fmt: skip

    def validate_spec(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("spec must be an object.")
        return value


class FunctionVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FunctionVersion
        fields = ["id", "number", "kind", "spec", "created_at"]
        read_only_fields = fields


class FunctionTestSerializer(serializers.Serializer):
    input = serializers.JSONField(required=False, default=None, help_text="The sample input.")
    credentials = serializers.DictField(child=serializers.CharField(max_length=40), required=False, default=dict)


class FunctionTestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    output = serializers.JSONField(required=False)
    error = serializers.DictField(required=False, help_text="{code, message, line?}")
    logs = serializers.ListField(child=serializers.CharField())
    duration_ms = serializers.FloatField()
    limits_hit = serializers.ListField(child=serializers.CharField(), help_text="wall_clock, cpu, memory, output")
    version = serializers.IntegerField()
