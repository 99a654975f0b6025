"""Print a fresh `keyid:base64key` entry to put first in FLOWBUILDER_ENCRYPTION_KEYS."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from integrations.vault import new_key_entry


class Command(BaseCommand):
    help = "Print a new encryption key entry (keep it secret; it is not stored anywhere)."

    def handle(self, *args, **options):
        self.stdout.write(new_key_entry())
