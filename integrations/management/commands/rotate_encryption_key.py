"""Re-encrypt every sealed secret under the current key of FLOWBUILDER_ENCRYPTION_KEYS.

Put the new key first in the ring (keep the old ones after it), run this, then drop the old
keys. Each batch is its own transaction with its rows locked, and rows already on the
current key are skipped, so an interrupted run is finished by running it again.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from integrations.models import Connection, Credential
from integrations.vault import VaultError, get_key_ring


def rotate_model(model, key_ring, batch_size: int, progress) -> int:
    """Re-seal every row of `model` not on the current key; returns how many changed."""
    changed = 0
    while True:
        with transaction.atomic():
            rows = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(ciphertext__isnull=False)
                .exclude(key_id=key_ring.current_key_id)
                .order_by("pk")[:batch_size]
            )
            for row in rows:
                try:
                    row.seal(row.unseal(key_ring), key_ring)
                except VaultError as error:
                    raise CommandError(f"{row.pk}: {error} Nothing in this batch was changed.") from None
                model.objects.filter(pk=row.pk).update(ciphertext=row.ciphertext, nonce=row.nonce, key_id=row.key_id)
        changed += len(rows)
        progress.update(len(rows))
        if len(rows) < batch_size:
            return changed


class Command(BaseCommand):
    help = "Re-encrypt every sealed secret (credentials, connections, webhook signing secrets) under the current key."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, batch_size: int, **options):
        key_ring = get_key_ring()
        from webhooks.models import InboundHook, WebhookSubscription

        models = [Credential, Connection, WebhookSubscription, InboundHook]
        pending = sum(
            model.objects.filter(ciphertext__isnull=False).exclude(key_id=key_ring.current_key_id).count()
            for model in models
        )
        with tqdm(total=pending, unit="secret", disable=pending == 0, file=self.stderr._out) as progress:
            changed = sum(rotate_model(model, key_ring, batch_size, progress) for model in models)
        self.stdout.write(f"Re-encrypted {changed} secret(s) under key {key_ring.current_key_id}.")
