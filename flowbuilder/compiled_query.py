"""A model query whose SQL Django builds once per process; each call fills in one value.

Django compiles a queryset's SQL on every evaluation: for a `select_related` over several
tables that is most of the query's CPU (the hook lookup's was about a quarter of a sync
webhook run's web CPU, D19 addendum (3)). `CompiledQuery` compiles it once per database
alias with a sentinel in the one varying place, then runs the same SQL with the value there
and builds the instances (related ones and annotations included) as Django's ModelIterable does.
Used where a query runs on every call: the hook lookup, an API call's key, default project and
workflow, a run's end (its project's webhook subscriptions).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

SENTINEL = "\x00flowbuilder-compiled-query-slot\x00"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slot: int
    compiler: Any
    converters: dict
    model: type[Model]
    fields: tuple[int, int]
    init_list: list[str]
    populators: list
    annotations: dict[str, int]


class CompiledQuery:
    """`build(value)` returns the queryset for one value; `first(value)` runs it precompiled."""

    def __init__(self, build: Callable[[Any], QuerySet]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        compiler = self._build(SENTINEL).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if list(params).count(SENTINEL) != 1:
            raise ValueError("the value must appear exactly once among the query's parameters")
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slot=list(params).index(SENTINEL),
            compiler=compiler,
            converters=compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
            model=klass_info["model"],
            fields=(start, end),
            init_list=[column[0].target.attname for column in select[start:end]],
            populators=get_related_populators(klass_info, select, alias),
            annotations=dict(compiler.annotation_col_map or {}),
        )

    def first(self, value: Any, *, using: str = DEFAULT_DB_ALIAS) -> Model | None:
        found = self._run(value, using, one=True)
        return found[0] if found else None

    def all(self, value: Any, *, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        """Every row the query gives for `value`, as instances, in the query's order."""
        return self._run(value, using, one=False)

    def _run(self, value: Any, using: str, *, one: bool) -> list[Model]:
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.setdefault(key, self._compile(using))
        params = list(compiled.params)
        params[compiled.slot] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            if one:
                row = cursor.fetchone()
                rows = [] if row is None else [row]
            else:
                rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return [self._instance(compiled, using, row) for row in rows]

    @staticmethod
    def _instance(compiled: _Compiled, using: str, row) -> Model:
        start, end = compiled.fields
        instance = compiled.model.from_db(using, compiled.init_list, row[start:end])
        for populator in compiled.populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations.items():
            setattr(instance, name, row[position])
        return instance
