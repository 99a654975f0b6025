"""Datasets: uploaded CSV/Excel files kept as typed Parquet in the database (docs/design.md D25)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory
from flowbuilder.revisions import Revisioned


class Dataset(Revisioned):
    """A table from a file: its columns (name, label, type), size and where its rows are."""

    id = models.CharField(primary_key=True, max_length=40, default=id_factory("ds"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(max_length=200)
    table_name = models.CharField(max_length=63, help_text="The name queries use (`SELECT … FROM table_name`).")
    columns = models.JSONField(default=list, help_text="[{name, label, type, sql_type}] in file order.")
    row_count = models.PositiveBigIntegerField(default=0)
    size_bytes = models.PositiveBigIntegerField(default=0, help_text="The last uploaded file's size.")
    stored_bytes = models.PositiveBigIntegerField(default=0, help_text="The Parquet data's size.")
    source_format = models.CharField(max_length=10, default="csv")
    source_filename = models.CharField(max_length=255, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    notes = models.JSONField(default=list, blank=True)
    data_sha256 = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="dataset_name_unique"),
            models.UniqueConstraint(fields=["project", "table_name"], name="dataset_table_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DatasetData(models.Model):
    """The rows as one Parquet file (zstd); apart from Dataset so lists never load it."""

    dataset = models.OneToOneField(Dataset, primary_key=True, on_delete=models.CASCADE, related_name="data")
    sha256 = models.CharField(max_length=64)
    parquet = models.BinaryField()

    def __str__(self) -> str:
        return f"data of {self.dataset_id}"
