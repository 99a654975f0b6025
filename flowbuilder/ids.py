"""Prefixed, time-ordered ids (`proj_01J…`), so ids sort by creation and say what they are."""

from __future__ import annotations

import os
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_ulid() -> str:
    """A ULID: 48 bits of milliseconds then 80 random bits, 26 characters."""
    millis = int(time.time() * 1000)
    randomness = int.from_bytes(os.urandom(10), "big")
    return _base32(millis, 10) + _base32(randomness, 16)


def new_id(prefix: str) -> str:
    return f"{prefix}_{new_ulid()}"


def id_factory(prefix: str):
    """A callable default for a CharField primary key (kept importable for migrations)."""
    return PrefixedIdFactory(prefix)


class PrefixedIdFactory:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self) -> str:
        return new_id(self.prefix)

    def deconstruct(self):
        return ("flowbuilder.ids.PrefixedIdFactory", (self.prefix,), {})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrefixedIdFactory) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)
