from __future__ import annotations

from rest_framework import serializers

from forms_app.models import FieldType, Form, FormField, Submission

FIELD_KEY_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"
LENGTH_LIMITED_TYPES = {FieldType.TEXT, FieldType.TEXTAREA, FieldType.EMAIL}


class FormFieldSerializer(serializers.ModelSerializer):
    key = serializers.RegexField(
        FIELD_KEY_PATTERN,
        max_length=64,
        error_messages={"invalid": "Use lower-case letters, digits and _, starting with a letter."},
    )
    options = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=200)
    max_length = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100_000)
    position = serializers.IntegerField(required=False, min_value=0)

    class Meta:
        model = FormField
        fields = [
            "id",
            "key",
            "type",
            "label",
            "required",
            "placeholder",
            "help_text",
            "options",
            "min_value",
            "max_value",
            "max_length",
            "position",
        ]
        read_only_fields = ["id"]

    def validate(self, attrs):
        # `fields` replaces the whole list, on PATCH too: each field is complete. (DRF skips
        # missing required fields anywhere under a partial update, so they are checked here.)
        missing = [name for name in ("key", "label") if name not in attrs]
        if missing:
            raise serializers.ValidationError(
                {name: [serializers.ErrorDetail("This field is required.", code="required")] for name in missing}
            )
        kind = attrs.get("type", FieldType.TEXT)
        options = attrs.get("options") or []
        if kind == FieldType.SELECT:
            if not options:
                raise serializers.ValidationError({"options": ["A select field needs at least one option."]})
            if len(set(options)) != len(options):
                raise serializers.ValidationError({"options": ["Options must be different from each other."]})
        elif options:
            raise serializers.ValidationError({"options": ["Only select fields have options."]})
        low, high = attrs.get("min_value"), attrs.get("max_value")
        if kind != FieldType.NUMBER and (low is not None or high is not None):
            raise serializers.ValidationError({"min_value": ["Only number fields have min and max."]})
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"min_value": ["min_value must not be above max_value."]})
        if attrs.get("max_length") is not None and kind not in LENGTH_LIMITED_TYPES:
            raise serializers.ValidationError({"max_length": ["Only text, textarea and email fields have it."]})
        return attrs


class FormSerializer(serializers.ModelSerializer):
    project_id = serializers.CharField(read_only=True)
    public_url = serializers.SerializerMethodField()
    fields = FormFieldSerializer(many=True, read_only=True)
    # "" when the form shows its success message instead of redirecting.
    redirect_url = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = Form
        fields = [
            "id",
            "project_id",
            "name",
            "slug",
            "public_url",
            "description",
            "success_message",
            "redirect_url",
            "is_active",
            "fields",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_public_url(self, form) -> str:
        return f"/f/{form.slug}"


class FormWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    success_message = serializers.CharField(allow_blank=True, required=False, max_length=2000)
    redirect_url = serializers.URLField(allow_blank=True, required=False, max_length=2000)
    is_active = serializers.BooleanField(required=False)
    fields = FormFieldSerializer(many=True, required=False, help_text="Replaces the whole list.")

    def validate_fields(self, fields):
        keys = [field["key"] for field in fields]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise serializers.ValidationError(f"Each field needs its own key; repeated: {', '.join(duplicates)}.")
        if len(fields) > 100:
            raise serializers.ValidationError("A form has at most 100 fields.")
        return fields

    def validate_redirect_url(self, value: str) -> str:
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Use an http:// or https:// address.")
        return value


class SubmissionSerializer(serializers.ModelSerializer):
    form_id = serializers.CharField(read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "form_id", "data", "source", "user_agent", "created_at"]
        read_only_fields = fields


class SubmissionCreateSerializer(serializers.Serializer):
    data = serializers.DictField(
        help_text="Field key → value, checked against the form's own fields (400 naming data.<key> when a "
        "value does not fit its field or the form has no such field)."
    )
