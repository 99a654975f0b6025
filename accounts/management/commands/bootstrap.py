"""Create (or reuse) an organization, its default project, an admin and a fresh API key.

Re-running it is safe: it reuses what exists and rotates the bootstrap API key.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import services
from accounts.models import Organization, Plan, Role


class Command(BaseCommand):
    help = "Create or reuse an organization with an admin user and print a fresh API key."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="Organization name.")
        parser.add_argument("--email", required=True, help="The admin's email (their login).")
        parser.add_argument("--password", required=True, help="The admin's password.")
        parser.add_argument("--plan", default=Plan.BUSINESS, choices=Plan.values)
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        email = options["email"].strip().lower()
        if "@" not in email:
            raise CommandError("--email must be an email address.")
        with transaction.atomic():
            organization = Organization.objects.filter(name=options["org"]).first()
            if organization is None:
                organization = services.create_organization(options["org"], plan=options["plan"])
            elif organization.plan != options["plan"]:
                organization.plan = options["plan"]
                organization.save(update_fields=["plan"])
            membership = services.add_member(
                organization, email=email, password=options["password"], role=Role.ADMIN
            )
            # Re-running rotates the bootstrap key rather than piling up live keys.
            for old_key in organization.api_keys.filter(
                name="bootstrap", created_by=membership.user, revoked_at__isnull=True
            ):
                services.revoke_api_key(old_key, actor=membership.user)
            created = services.create_api_key(
                organization, name="bootstrap", created_by=membership.user, role=Role.ADMIN
            )
        result = {
            "organization_id": organization.id,
            "project_id": organization.default_project.id,
            "email": email,
            "api_key": created.plaintext,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"Organization: {organization.name} ({organization.id}), plan {organization.plan}")
        self.stdout.write(f"Project:      {result['project_id']}")
        self.stdout.write(f"Login:        {email}")
        self.stdout.write(f"API key:      {created.plaintext}  (shown once)")
