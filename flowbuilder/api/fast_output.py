"""Read-only output without DRF's per-instance field building.

Serializing one execution for `execute` with `wait` was a fifth of the web process's CPU in
the API benchmark, most of it DRF building and binding some forty field objects for every
serializer instance (the model read, each field's arguments worked out, copies made) before
a single value was read (D19 addendum (4)). `PlannedOutput` builds the fields once per
serializer class and keeps them as a plan; each instance then reads the values through the
plan's fields, which only read their own settings, and calls its own `get_<name>` methods for
method fields, so `context` and instance state stay per instance.

Only plain fields take the plan (the classes in PLAIN_FIELDS, exactly); a serializer with any
other field serializes as DRF does. Input (validation) is untouched.
"""

from __future__ import annotations

import threading

from rest_framework import fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

# Fields whose reading depends only on their own settings (no parent, context or request).
PLAIN_FIELDS = frozenset({
    drf_fields.BooleanField, drf_fields.CharField, drf_fields.ChoiceField, drf_fields.DateTimeField,
    drf_fields.FloatField, drf_fields.IntegerField, drf_fields.JSONField, drf_fields.ReadOnlyField,
    drf_fields.UUIDField,
})  # fmt: skip
_lock = threading.Lock()


# Mix in before a (Model)Serializer used for output. No docstring on purpose: drf-spectacular
# would take an inherited one as the description of every serializer using it.
class PlannedOutput:

    @classmethod
    def _output_plan(cls, serializer) -> list | None:
        """[(name, field, method name)] for the class, or None when a field is not plain."""
        if "_planned" not in cls.__dict__:
            with _lock:
                if "_planned" not in cls.__dict__:
                    cls._plan = _plan_of(serializer)
                    cls._planned = True
        return cls._plan

    def to_representation(self, instance):
        plan = self._output_plan(self)
        if plan is None:
            return super().to_representation(instance)
        result = {}
        for name, field, method in plan:
            if method is not None:
                result[name] = getattr(self, method)(instance)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            empty = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            result[name] = None if empty is None else field.to_representation(attribute)
        return result


def _plan_of(serializer) -> list | None:
    """The readable fields of a fresh instance of the serializer's class, as a plan."""
    plan = []
    for field in type(serializer)().fields.values():
        if field.write_only:
            continue
        if isinstance(field, drf_fields.SerializerMethodField):
            plan.append((field.field_name, None, field.method_name))
        elif type(field) in PLAIN_FIELDS:
            plan.append((field.field_name, field, None))
        else:
            return None
    return plan
