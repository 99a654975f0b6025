"""One django-filter FilterSet per list: strict values, `sort`/`order`, ISO dates (issue 15).

Unknown values (`order=sideways`, a sort field the list does not offer, an unknown status)
fail the FilterSet's form; DjangoFilterBackend turns that into a ValidationError naming the
parameter, which the exception handler answers as 400 VALIDATION_ERROR with `field`.
Every value also passes Django's form fields, which refuse NUL characters before any query.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

ORDERS = [("asc", "Ascending"), ("desc", "Descending")]


def keep(queryset, name, value):
    """For parameters applied elsewhere (ordering happens once, after every filter)."""
    return queryset


def sort_filter(*fields: str, default: str) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        choices=[(field, field) for field in fields],
        method=keep,
        help_text=f"Field to sort by (default {default}).",
    )


def aliased_choice_filter(field_name: str, values, aliases: dict[str, str], **kwargs) -> django_filters.ChoiceFilter:
    """A choice among `values`, also accepting aliases (`published` means `active`)."""

    def filter_by(queryset, name, value):
        return queryset.filter(**{field_name: aliases.get(value, value)})

    choices = [(value, value) for value in [*values, *aliases]]
    return django_filters.ChoiceFilter(choices=choices, method=filter_by, **kwargs)


class ListFilterSet(django_filters.FilterSet):
    """A list's filters plus `order`; subclasses declare `sort = sort_filter(...)` and `default_sort`."""

    order = django_filters.ChoiceFilter(
        choices=ORDERS, method=keep, help_text="asc or desc (default: desc for times, asc otherwise)."
    )
    default_sort: str | None = None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or self.default_sort
        if not sort:
            return queryset
        order = self.form.cleaned_data.get("order") or ("desc" if sort.endswith("_at") else "asc")
        prefix = "-" if order == "desc" else ""
        return queryset.order_by(f"{prefix}{sort}", f"{prefix}id")


class MomentField(forms.CharField):
    """An ISO 8601 date or date-time, as the instant it stands for.

    A bare date is the start of that day, or, for an `end` bound, the start of the next day
    (so `to=2026-01-31` includes the 31st); an end bound is exclusive, just past its instant.
    """

    def __init__(self, *args, end: bool = False, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def clean(self, value):
        raw = (super().clean(value) or "").strip()
        if not raw:
            return None
        try:
            is_bare_date = len(raw) == 10
            moment = None if is_bare_date else parse_datetime(raw.replace("z", "Z"))
            day = parse_date(raw) if is_bare_date else None
        except ValueError:
            moment = day = None
        if day is None and moment is None:
            raise forms.ValidationError("Give an ISO 8601 date or date-time, like 2026-01-31 or 2026-01-31T12:00:00Z.")
        try:
            if day is not None:
                moment = dt.datetime.combine(day + dt.timedelta(days=1 if self.end else 0), dt.time())
            elif self.end:
                moment += dt.timedelta(microseconds=1)  # an end instant includes itself
            # As UTC: PostgreSQL takes offsets up to ±15:59 only, ISO 8601 up to ±23:59 (a 500).
            return (moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)).astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError("The date is out of range (years 1 to 9999, in UTC).") from None


DATE_OR_DATE_TIME = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}


@extend_schema_field(DATE_OR_DATE_TIME)
class MomentFilter(django_filters.Filter):
    field_class = MomentField

    def __init__(self, *args, end: bool = False, **kwargs):
        super().__init__(*args, lookup_expr="lt" if end else "gte", end=end, **kwargs)


BOOLEANS = {"true": True, "false": False}


def refuse_loose_values(filters: dict, params) -> None:
    """What the OpenAPI schema says of each filter, held: one value (unless the filter is repeatable,
    like `?type=bearer&type=basic`), not blank, booleans as true/false.

    django-filter would read `?enabled=null` or `?to=` as "no filter" and `?status=a&status=b`
    as its last value; a client sending them meant something, so it gets a 400 naming the parameter.
    """
    for name, declared in filters.items():
        values = params.getlist(name)
        if not values:
            continue
        if len(values) > 1 and not isinstance(declared, django_filters.MultipleChoiceFilter):
            raise ValidationError({name: [f"Give {name} once."]})
        if values[0] == "" and not isinstance(declared, django_filters.CharFilter):
            raise ValidationError({name: [f"{name} is empty: give a value or leave the parameter out."]})
        if isinstance(declared, django_filters.BooleanFilter) and values[0] not in BOOLEANS:
            raise ValidationError({name: [f"{name} must be true or false."]})


class StrictFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that refuses values the schema does not allow (see refuse_loose_values)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            refuse_loose_values(filterset.filters, request.query_params)
        return filterset
