"""`manage.py import_dataset FILE --project ID --name NAME`: a large file in, with a progress bar."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import Project
from accounts.services import ConflictError
from datasets import services
from datasets.models import Dataset
from datasets.parsing import FileRefused

CHUNK = 1024 * 1024


class Command(BaseCommand):
    help = "Import a CSV or .xlsx file as a dataset of a project (or replace/append to one)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--project", required=True, help="The project's id.")
        parser.add_argument("--name", required=True, help="The dataset's name.")
        parser.add_argument("--delimiter", default="", help="`,` `;` or `\\t` (default: detected).")
        parser.add_argument("--mode", choices=["create", "replace", "append"], default="create")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        project = Project.objects.filter(pk=options["project"]).first()
        if project is None:
            raise CommandError(f"No project {options['project']}.")
        size = path.stat().st_size
        try:
            services.check_size(size)
        except FileRefused as refused:
            raise CommandError(refused.message) from None
        data = bytearray()
        with path.open("rb") as source, tqdm(
            total=size, unit="B", unit_scale=True, desc="read", disable=options["no_progress"], file=self.stderr
        ) as bar:  # fmt: skip
            while chunk := source.read(CHUNK):
                data += chunk
                bar.update(len(chunk))
        upload = services.Upload(
            data=bytes(data), filename=path.name, delimiter=options["delimiter"].replace("\\t", "\t")
        )
        steps = tqdm(total=1, desc="parse, type and store", disable=options["no_progress"], file=self.stderr)
        try:
            if options["mode"] == "create":
                dataset = services.create_dataset(project, name=options["name"], upload=upload)
            else:
                dataset = Dataset.objects.filter(project=project, name=options["name"]).first()
                if dataset is None:
                    raise CommandError(f"No dataset named {options['name']!r} in the project.")
                call = services.replace_dataset if options["mode"] == "replace" else services.append_dataset
                dataset = call(dataset, upload=upload)
        except (FileRefused, ConflictError) as refused:
            raise CommandError(getattr(refused, "message", str(refused))) from None
        finally:
            steps.update(1)
            steps.close()
        self.stdout.write(
            f"{dataset.id} {dataset.table_name}: {dataset.row_count} rows, {len(dataset.columns)} columns"
        )
