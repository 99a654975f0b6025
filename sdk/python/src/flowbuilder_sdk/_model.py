"""The runtime half of the generated models: parsing answers into dataclasses and back."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple, TypeVar

T = TypeVar("T", bound="Model")


class Operation(NamedTuple):
    """One API operation: its method, path template, the parse spec of `data` per success status."""

    method: str
    path: str
    results: dict[str, str | None]


class Model:
    """Base of every generated model.

    `from_dict` keeps fields the SDK does not know yet in `extra` (a newer server never breaks
    an older SDK) and fills fields the answer left out with None; `to_dict` gives the wire form.
    """

    __wire_names__: ClassVar[dict[str, str]] = {}
    __nested__: ClassVar[dict[str, str]] = {}

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        values: dict[str, Any] = {}
        for attribute, wire in cls.__wire_names__.items():
            value = data.get(wire)
            spec = cls.__nested__.get(attribute)
            values[attribute] = parse(spec, value) if spec and value is not None else value
        known = set(cls.__wire_names__.values())
        extra = {key: value for key, value in data.items() if key not in known}
        return cls(**values, extra=extra)  # type: ignore[call-arg]

    def to_dict(self, *, drop_none: bool = False) -> dict[str, Any]:
        """The JSON object this model stands for (with `drop_none`, unset fields left out)."""
        body: dict[str, Any] = {}
        for attribute, wire in self.__wire_names__.items():
            value = wire_value(getattr(self, attribute))
            if value is not None or not drop_none:
                body[wire] = value
        body.update(self.extra)  # type: ignore[attr-defined]
        return body

    @property
    def etag(self) -> str | None:
        """The ETag of the answer this came from (single reads and writes of workflows, forms, credentials,
        connections, webhooks): pass it as `etag=` to a later update or delete to make it conditional."""
        return self.__dict__.get("_etag")

    def __getitem__(self, key: str) -> Any:
        """`model["field"]` reads the wire name, extras included (handy for fields named like keywords)."""
        return self.to_dict()[key]


def wire_value(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [wire_value(item) for item in value]
    return value


def parse(spec: str | None, value: Any) -> Any:
    """A JSON value parsed by spec: None (as is), 'Name' (a model or union), '[Name]' (a list of them)."""
    from flowbuilder_sdk import models

    if spec is None or value is None:
        return value
    if spec.startswith("["):
        return [parse(spec[1:-1], item) for item in value]
    if spec in models.UNIONS:
        return parse(pick_variant(models.UNIONS[spec], value), value)
    if not isinstance(value, Mapping):
        return value  # not the shape the schema promised: hand it over untouched rather than fail
    return getattr(models, spec).from_dict(value)


def pick_variant(names: list[str], value: Any) -> str | None:
    """The union member whose required fields the value has, the most specific first."""
    from flowbuilder_sdk import models

    if not isinstance(value, Mapping):
        return None
    best, best_count = None, -1
    for name in names:
        cls = getattr(models, name)
        required = [
            cls.__wire_names__[f.name]
            for f in dataclasses.fields(cls)
            if f.name in cls.__wire_names__ and f.default is dataclasses.MISSING
        ]
        if all(key in value for key in required) and len(required) > best_count:
            best, best_count = name, len(required)
    return best
