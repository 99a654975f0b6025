"""Fill an organization's default project with sample workflows made from the templates.

Idempotent: a sample whose name is already taken in the project is left as it is, so
`make run` can call it every time without piling up copies or undoing the user's edits.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from workflows import services
from workflows.models import Workflow
from workflows.templates_catalog import APPROVAL, LEAD_NOTIFICATION, ORDER_TRIAGE, SUPPORT_CHATBOT

# Order triage runs right away (manual → if → set); the others show what templates look like.
SAMPLES = (ORDER_TRIAGE, LEAD_NOTIFICATION, APPROVAL, SUPPORT_CHATBOT)


class Command(BaseCommand):
    help = "Create the sample workflows in an organization's default project (once)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="Organization name.")

    def handle(self, *args, **options):
        organization = Organization.objects.filter(name=options["org"]).first()
        if organization is None:
            raise CommandError(f"No organization named “{options['org']}”: run bootstrap first.")
        project = organization.default_project
        created = []
        for template in SAMPLES:
            if Workflow.objects.filter(project=project, name=template.name).exists():
                continue
            services.create_workflow(
                project, name=template.name, description=template.summary, definition=template.fresh_definition()
            )
            created.append(template.name)
        summary = ", ".join(created) if created else "none (all samples already exist)"
        self.stdout.write(f"Sample workflows created in {organization.name}: {summary}")
