"""Credentials (sealed secrets) and connections (databases and REST endpoints)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Project
from flowbuilder.ids import id_factory
from flowbuilder.revisions import Revisioned
from integrations import vault
from integrations.credential_types import TYPE_NAMES


class SealedSecretMixin(models.Model):
    """The vault's three columns; `secret_kind` is bound with the row id as associated data."""

    ciphertext = models.BinaryField(null=True, blank=True, editable=False)
    nonce = models.BinaryField(null=True, blank=True, editable=False)
    key_id = models.CharField(max_length=40, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True

    @property
    def secret_kind(self) -> str:
        raise NotImplementedError

    @property
    def has_secret(self) -> bool:
        return self.ciphertext is not None

    def seal(self, secret: dict | None, key_ring: vault.KeyRing | None = None) -> None:
        if not secret:
            self.ciphertext, self.nonce, self.key_id = None, None, ""
            return
        sealed = vault.seal_secret(secret, row_id=self.pk, kind=self.secret_kind, key_ring=key_ring)
        self.ciphertext, self.nonce, self.key_id = sealed.ciphertext, sealed.nonce, sealed.key_id

    def unseal(self, key_ring: vault.KeyRing | None = None) -> dict:
        if not self.has_secret:
            return {}
        sealed = vault.Sealed(ciphertext=bytes(self.ciphertext), nonce=bytes(self.nonce), key_id=self.key_id)
        return vault.open_secret(sealed, row_id=self.pk, kind=self.secret_kind, key_ring=key_ring)


class TestResultMixin(models.Model):
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True, blank=True)
    last_test_message = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def status(self) -> str:
        if self.last_test_ok is None:
            return "untested"
        return "ok" if self.last_test_ok else "failing"


class CredentialType(models.TextChoices):
    API_KEY = "api_key", "API key"
    BEARER = "bearer", "Bearer token"
    BASIC = "basic", "Basic auth"
    OAUTH2_TOKEN = "oauth2_token", "OAuth 2 token"
    SMTP = "smtp", "SMTP server"
    DATABASE = "database", "Database login"
    LLM = "llm", "AI model provider"
    HMAC_SECRET = "hmac_secret", "Signing secret"


assert [choice.value for choice in CredentialType] == TYPE_NAMES, "keep the choices and schemas in step"


class Credential(SealedSecretMixin, TestResultMixin, Revisioned):
    id = models.CharField(primary_key=True, max_length=40, default=id_factory("cred"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=CredentialType.choices)
    metadata = models.JSONField(default=dict, blank=True, help_text="The non-secret fields.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="credential_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"

    @property
    def secret_kind(self) -> str:
        return f"credential.{self.type}"


class ConnectionKind(models.TextChoices):
    POSTGRESQL = "postgresql", "PostgreSQL"
    MYSQL = "mysql", "MySQL / MariaDB"
    REST = "rest", "REST API"
    # Built in, one per project: the project's datasets (uploaded files) as tables (datasets app, D25).
    DATASETS = "datasets", "Datasets (uploaded files)"


class SslMode(models.TextChoices):
    DISABLE = "disable", "Disable"
    PREFER = "prefer", "Prefer"
    REQUIRE = "require", "Require"
    VERIFY_FULL = "verify-full", "Verify full"


# An `ai_excluded` entry: one to three dot-separated names — `table`, `schema.table` or
# `table.column`, `schema.table.column` (integrations.schema_cache reads them).
AI_EXCLUDED_PATTERN = r"^[^.\s,]+(\.[^.\s,]+){0,2}$"


class Connection(SealedSecretMixin, TestResultMixin, Revisioned):
    """Where a database or REST API lives. Its login is a credential or its own sealed password."""

    id = models.CharField(primary_key=True, max_length=40, default=id_factory("conn"), editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="connections")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ConnectionKind.choices)
    host = models.CharField(max_length=255, blank=True)
    port = models.PositiveIntegerField(null=True, blank=True)
    database = models.CharField(max_length=255, blank=True)
    username = models.CharField(max_length=255, blank=True)
    ssl_mode = models.CharField(max_length=20, choices=SslMode.choices, default=SslMode.PREFER)
    base_url = models.CharField(max_length=2000, blank=True)
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.PROTECT, related_name="connections"
    )
    statement_timeout_ms = models.PositiveIntegerField(default=10_000)
    row_limit = models.PositiveIntegerField(default=1_000)
    ai_excluded = models.JSONField(
        default=list,
        blank=True,
        help_text="Tables (`table`, `schema.table`) and columns (`table.column`) the Ask-data model never sees.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="connection_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def secret_kind(self) -> str:
        return "connection"
