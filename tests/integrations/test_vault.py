"""The vault: AES-256-GCM round trips, tamper and move detection, key rotation, no plaintext at rest."""

from __future__ import annotations

import io
import logging
import stat
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection as django_connection

from integrations import vault
from integrations.models import Credential
from integrations.services import create_connection, create_credential
from tests.integrations.conftest import TEST_KEY_A, TEST_KEY_B

SECRET = {"password": "hunter2-correct-horse"}


def ring(*entries: str) -> vault.KeyRing:
    return vault.KeyRing.parse(",".join(entries))


def test_a_sealed_secret_opens_again_with_the_same_row_and_kind():
    sealed = vault.seal_secret(SECRET, row_id="cred_1", kind="credential.basic", key_ring=ring(TEST_KEY_A))
    assert sealed.key_id == "ktest_a"
    assert len(sealed.nonce) == 12
    assert vault.open_secret(sealed, row_id="cred_1", kind="credential.basic", key_ring=ring(TEST_KEY_A)) == SECRET


def test_two_encryptions_of_the_same_secret_differ():
    keys = ring(TEST_KEY_A)
    first = vault.seal_secret(SECRET, row_id="cred_1", kind="k", key_ring=keys)
    second = vault.seal_secret(SECRET, row_id="cred_1", kind="k", key_ring=keys)
    assert first.nonce != second.nonce
    assert first.ciphertext != second.ciphertext


def test_a_flipped_ciphertext_byte_fails_loudly():
    keys = ring(TEST_KEY_A)
    sealed = vault.seal_secret(SECRET, row_id="cred_1", kind="k", key_ring=keys)
    flipped = bytearray(sealed.ciphertext)
    flipped[3] ^= 0x01
    with pytest.raises(vault.VaultError, match="altered or belongs to another row"):
        vault.open_secret(replace(sealed, ciphertext=bytes(flipped)), row_id="cred_1", kind="k", key_ring=keys)


def test_a_wrong_key_fails_loudly():
    sealed = vault.seal_secret(SECRET, row_id="cred_1", kind="k", key_ring=ring(TEST_KEY_A))
    impostor = ring("ktest_a:" + TEST_KEY_B.split(":", 1)[1])
    with pytest.raises(vault.VaultError):
        vault.open_secret(sealed, row_id="cred_1", kind="k", key_ring=impostor)
    with pytest.raises(vault.VaultError, match="not in the key ring"):
        vault.open_secret(sealed, row_id="cred_1", kind="k", key_ring=ring(TEST_KEY_B))


def test_a_ciphertext_moved_to_another_row_or_type_does_not_decrypt(acme):
    project = acme.default_project
    victim = create_credential(project, name="victim", type="bearer", fields={"token": "victim-token-1"})
    thief = create_credential(project, name="thief", type="bearer", fields={"token": "thief-token-2"})
    Credential.objects.filter(pk=thief.pk).update(ciphertext=victim.ciphertext, nonce=victim.nonce)
    thief.refresh_from_db()
    with pytest.raises(vault.VaultError):
        thief.unseal()
    victim.type = "basic"  # same row, relabelled as another type
    with pytest.raises(vault.VaultError):
        victim.unseal()


@pytest.mark.parametrize("value", ["nokey", "k1:not-base64!!", "k1:" + "QUJD", f"{TEST_KEY_A},{TEST_KEY_A}", ""])
def test_a_malformed_key_ring_is_refused_without_echoing_key_material(value):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured) as caught:
        vault.KeyRing.parse(value)
    assert "QUJD" not in str(caught.value) and TEST_KEY_A.split(":")[1] not in str(caught.value)


def test_without_configured_keys_a_private_key_file_is_made_once_with_a_warning(settings, tmp_path, caplog):
    settings.FLOWBUILDER_ENCRYPTION_KEYS = ""
    settings.VAR_DIR = tmp_path
    with caplog.at_level(logging.WARNING, logger="integrations.vault"):
        first = vault.get_key_ring()
    key_file = tmp_path / vault.KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "FLOWBUILDER_ENCRYPTION_KEYS is not set" in caplog.text
    assert key_file.read_text().split(":")[1].strip() not in caplog.text
    vault._key_ring_for.cache_clear()
    assert vault.get_key_ring().current_key_id == first.current_key_id


def test_rotation_re_encrypts_everything_and_the_old_key_can_then_go(settings, acme):
    project = acme.default_project
    credentials = [
        create_credential(project, name=f"c{i}", type="bearer", fields={"token": f"token-{i}"}) for i in range(5)
    ]
    connection = create_connection(
        project, kind="postgresql", values={"name": "db", "host": "h", "database": "d", "username": "u"}, password="pw"
    )
    settings.FLOWBUILDER_ENCRYPTION_KEYS = f"{TEST_KEY_B},{TEST_KEY_A}"
    out = io.StringIO()
    call_command("rotate_encryption_key", "--batch-size", "2", stdout=out, stderr=io.StringIO())
    assert "Re-encrypted 6 secret(s) under key ktest_b" in out.getvalue()
    settings.FLOWBUILDER_ENCRYPTION_KEYS = TEST_KEY_B  # the old key is gone
    for index, credential in enumerate(credentials):
        credential.refresh_from_db()
        assert credential.key_id == "ktest_b"
        assert credential.unseal() == {"token": f"token-{index}"}
    connection.refresh_from_db()
    assert connection.unseal() == {"password": "pw"}


def test_rotation_run_again_skips_rows_already_on_the_current_key(settings, acme):
    create_credential(acme.default_project, name="c", type="bearer", fields={"token": "t"})
    settings.FLOWBUILDER_ENCRYPTION_KEYS = f"{TEST_KEY_B},{TEST_KEY_A}"
    call_command("rotate_encryption_key", stdout=io.StringIO(), stderr=io.StringIO())
    before = Credential.objects.get().ciphertext
    out = io.StringIO()
    call_command("rotate_encryption_key", stdout=out, stderr=io.StringIO())
    assert "Re-encrypted 0 secret(s)" in out.getvalue()
    assert bytes(Credential.objects.get().ciphertext) == bytes(before)


def every_text_value_in_the_database() -> str:
    """Like reading a pg_dump: every text, JSON and bytea column of every table, as text."""
    with django_connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'bytea', 'character')"
        )
        columns = cursor.fetchall()
        dump = []
        for table, column, data_type in columns:
            # bytea as escaped text keeps printable bytes readable, so plaintext would show.
            value = f"encode(\"{column}\", 'escape')" if data_type == "bytea" else f'"{column}"::text'
            cursor.execute(f'SELECT {value} FROM "{table}" WHERE "{column}" IS NOT NULL')
            dump.extend(value for (value,) in cursor.fetchall())
    return "\n".join(dump)


def test_no_plaintext_secret_is_anywhere_in_the_database_after_creating_credentials(alice_api):
    secrets = {
        "bearer": {"token": "PLAINTEXT-bearer-91823"},
        "basic": {"username": "svc", "password": "PLAINTEXT-basic-55120"},
        "smtp": {"host": "mail.test", "from_email": "a@b.test", "password": "PLAINTEXT-smtp-7731"},
        "llm": {"provider": "anthropic", "base_url": "https://api.test", "api_key": "PLAINTEXT-llm-4410"},
    }
    for type_name, fields in secrets.items():
        response = alice_api.post(
            "/api/v1/credentials", {"name": type_name, "type": type_name, "secret": fields}, format="json"
        )
        assert response.status_code == 201
        alice_api.patch(
            f"/api/v1/credentials/{response.json()['data']['id']}",
            {"secret": fields, "name": f"{type_name}!"},
            format="json",
        )
    alice_api.post(
        "/api/v1/connections",
        {
            "name": "pg",
            "kind": "postgresql",
            "host": "db.test",
            "database": "x",
            "username": "u",
            "password": "PLAINTEXT-conn-3301",
        },
        format="json",
    )
    dump = every_text_value_in_the_database()
    assert "svc" in dump  # the scan does see credential metadata
    assert "PLAINTEXT" not in dump
