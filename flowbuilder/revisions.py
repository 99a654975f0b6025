"""Revisions: a counter on each editable row, bumped by every write, that `ETag` names.

A client sends the revision it saw back as `If-Match`; the write checks it under the row's
lock and refuses a stale one, so two people editing one thing never silently overwrite each
other (docs/design.md D13).
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import models, router, transaction
from django.http import Http404


class StaleRevision(Exception):
    """The row changed since the caller read it: its revision is no longer the one expected."""

    def __init__(self, current: int):
        super().__init__(f"the current revision is {current}")
        self.current = current


class Revisioned(models.Model):
    """An abstract model whose `revision` goes up by one with every save of an existing row.

    The bump is `revision = revision + 1` in the UPDATE itself, so concurrent writers, even
    ones that took no lock, each get a revision of their own; the new value is read back in
    the same transaction (our UPDATE holds the row until it ends).
    """

    revision = models.PositiveBigIntegerField(
        default=1, editable=False, help_text="Goes up by one with every write; the ETag names it."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        database = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        previous, self.revision = self.revision, models.F("revision") + 1
        try:
            with transaction.atomic(using=database):
                super().save(*args, **kwargs)
                self.revision = read_revision(type(self), self.pk, using=database)
        except BaseException:
            self.revision = previous
            raise


def read_revision(model: type[models.Model], pk, *, using: str | None = None) -> int:
    rows = model._base_manager.using(using).filter(pk=pk)
    return rows.values_list("revision", flat=True).first() or 0


def check_revision(instance: Revisioned, expected: Collection[int] | None) -> None:
    """Raise StaleRevision unless `expected` is None (no precondition) or holds the revision."""
    if expected is not None and instance.revision not in expected:
        raise StaleRevision(instance.revision)


def locked_row(queryset: models.QuerySet, pk, expected: Collection[int] | None = None):
    """The row, locked until the transaction ends (call inside one), checked against `expected`."""
    row = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        # Deleted by a concurrent writer after the caller read it: a 404 to the API and the
        # pages alike, not the model's DoesNotExist (a 500).
        raise Http404("It was deleted meanwhile.")
    check_revision(row, expected)
    return row
