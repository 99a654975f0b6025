"""Shapes of datasets and of their uploads."""

from __future__ import annotations

import json

from rest_framework import serializers

from datasets.columns import TYPES
from datasets.models import Dataset
from datasets.parsing import DELIMITERS


class DatasetColumnSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The SQL name (normalised: unique, lower-case, not reserved).")
    label = serializers.CharField(help_text="The header as written in the file.")
    type = serializers.ChoiceField(choices=TYPES)
    sql_type = serializers.CharField(required=False, help_text="The type as queries see it (DuckDB).")


class DatasetSerializer(serializers.ModelSerializer):
    project_id = serializers.CharField(read_only=True)
    columns = DatasetColumnSerializer(many=True, read_only=True)
    notes = serializers.ListField(child=serializers.CharField(), read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = [
            "id", "project_id", "name", "table_name", "columns", "row_count", "size_bytes", "stored_bytes",
            "source_format", "source_filename", "delimiter", "notes", "created_by", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_created_by(self, dataset) -> str | None:
        return dataset.created_by.email if dataset.created_by else None


class TypesField(serializers.Field):
    """`{"column": "type"}`, as a JSON object or (in a multipart form) its JSON text."""

    default_error_messages = {"invalid": 'types is a JSON object of column name to type, e.g. {{"total": "decimal"}}.'}

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else {}
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
            self.fail("invalid")
        for key, value in data.items():
            if value not in TYPES:
                raise serializers.ValidationError(f"types.{key}: {value!r} is not one of {', '.join(TYPES)}.")
        return data

    def to_representation(self, value):
        return value


class DatasetUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="CSV (UTF-8; `,` `;` or tab) or Excel .xlsx (first sheet)."
    )
    delimiter = serializers.ChoiceField(
        choices=[(key, name) for key, name in DELIMITERS.items()], required=False, allow_blank=True,
        help_text="Default: detected from the first lines.",
    )  # fmt: skip
    types = TypesField(
        required=False, help_text='Column types chosen after a preview (JSON text): {"order_date": "date"}.'
    )


class DatasetCreateSerializer(DatasetUploadSerializer):
    name = serializers.CharField(max_length=200)


class DatasetAppendSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="Same columns as the dataset (by name); typed as the dataset's."
    )
    delimiter = serializers.ChoiceField(
        choices=[(key, name) for key, name in DELIMITERS.items()], required=False, allow_blank=True
    )


class DatasetUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class DatasetPreviewSerializer(serializers.Serializer):
    columns = DatasetColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField(), help_text="The first rows as text, keyed by name.")
    row_count = serializers.IntegerField()
    source_format = serializers.CharField()
    delimiter = serializers.CharField(allow_blank=True)
    notes = serializers.ListField(child=serializers.CharField())
