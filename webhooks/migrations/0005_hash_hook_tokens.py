"""Inbound hook tokens: stored as a SHA-256 (for lookup) and sealed in the vault (to show the URL)."""

import hashlib

from django.db import migrations, models


def hash_and_seal_tokens(apps, schema_editor):
    from integrations import vault

    hooks = apps.get_model("webhooks", "InboundHook")
    for hook in hooks.objects.all():
        sealed = vault.seal_secret({"token": hook.token}, row_id=hook.pk, kind="inbound_hook")
        hook.token_hash = hashlib.sha256(hook.token.encode()).hexdigest()
        hook.ciphertext, hook.nonce, hook.key_id = sealed.ciphertext, sealed.nonce, sealed.key_id
        hook.save(update_fields=["token_hash", "ciphertext", "nonce", "key_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0004_delivery_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboundhook",
            name="ciphertext",
            field=models.BinaryField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="inboundhook",
            name="nonce",
            field=models.BinaryField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="inboundhook",
            name="key_id",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="inboundhook",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_and_seal_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="inboundhook", name="token"),
        migrations.AlterField(
            model_name="inboundhook",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
