"""The credentials vault: AES-256-GCM with a key ring.

Each encryption uses a fresh 96-bit random nonce and stores the key id beside the
ciphertext, so keys can rotate without a flag day. The row's id and its kind are bound as
associated data: a ciphertext copied onto another row (or relabelled as another type)
fails to decrypt instead of leaking under the wrong name.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

NONCE_BYTES = 12
KEY_BYTES = 32
KEY_FILE_NAME = "encryption_keys"


class VaultError(Exception):
    """A secret could not be decrypted: tampered, moved, or its key is gone."""


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    nonce: bytes
    key_id: str


def new_key_entry() -> str:
    """A fresh `keyid:base64key` entry for FLOWBUILDER_ENCRYPTION_KEYS."""
    key_id = "k" + secrets.token_hex(4)
    return f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


class KeyRing:
    """Named AES-256 keys; the first one encrypts, any of them decrypts."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise ImproperlyConfigured("The encryption key ring is empty.")
        self._keys = dict(keys)
        if len(self._keys) != len(keys):
            raise ImproperlyConfigured("Two encryption keys share one key id.")
        self.current_key_id = keys[0][0]

    @classmethod
    def parse(cls, value: str) -> KeyRing:
        keys = []
        for entry in (item.strip() for item in value.replace("\n", ",").split(",")):
            if not entry:
                continue
            key_id, _, encoded = entry.partition(":")
            try:
                key = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                key = b""
            if not key_id or len(key) != KEY_BYTES:
                # Never echo the entry: it is key material.
                raise ImproperlyConfigured(
                    f"Encryption key {key_id or '(no id)'!r} must be `keyid:base64` of {KEY_BYTES} bytes."
                )
            keys.append((key_id, key))
        return cls(keys)

    @property
    def key_ids(self) -> list[str]:
        return list(self._keys)

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> Sealed:
        nonce = os.urandom(NONCE_BYTES)
        key = self._keys[self.current_key_id]
        ciphertext = AESGCM(key).encrypt(nonce, plaintext, associated_data)
        return Sealed(ciphertext=ciphertext, nonce=nonce, key_id=self.current_key_id)

    def decrypt(self, sealed: Sealed, associated_data: bytes) -> bytes:
        key = self._keys.get(sealed.key_id)
        if key is None:
            raise VaultError(f"The key {sealed.key_id!r} that sealed this secret is not in the key ring.")
        try:
            return AESGCM(key).decrypt(bytes(sealed.nonce), bytes(sealed.ciphertext), associated_data)
        except InvalidTag:
            raise VaultError("This secret does not decrypt: it was altered or belongs to another row.") from None


def _local_key_file(var_dir: Path) -> str:
    """The embedded mode's key ring: generated once, readable by this user only."""
    path = Path(var_dir) / KEY_FILE_NAME
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key_entry() + "\n")
    logger.warning(
        "FLOWBUILDER_ENCRYPTION_KEYS is not set: credentials are encrypted with the key in %s. "
        "Back it up, and set FLOWBUILDER_ENCRYPTION_KEYS when running on more than one machine.",
        path,
    )
    return path.read_text()


@functools.lru_cache(maxsize=4)
def _key_ring_for(configured: str, var_dir: str) -> KeyRing:
    return KeyRing.parse(configured or _local_key_file(Path(var_dir)))


def get_key_ring() -> KeyRing:
    return _key_ring_for(settings.FLOWBUILDER_ENCRYPTION_KEYS, str(settings.VAR_DIR))


def associated_data(row_id: str, kind: str) -> bytes:
    if not row_id or not kind:
        raise ValueError("A secret is bound to a saved row's id and kind.")
    return f"flowbuilder:{kind}:{row_id}".encode()


def seal_secret(secret: dict, *, row_id: str, kind: str, key_ring: KeyRing | None = None) -> Sealed:
    plaintext = json.dumps(secret, separators=(",", ":"), sort_keys=True).encode()
    return (key_ring or get_key_ring()).encrypt(plaintext, associated_data(row_id, kind))


def open_secret(sealed: Sealed, *, row_id: str, kind: str, key_ring: KeyRing | None = None) -> dict:
    plaintext = (key_ring or get_key_ring()).decrypt(sealed, associated_data(row_id, kind))
    return json.loads(plaintext)
