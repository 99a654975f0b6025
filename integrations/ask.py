"""Ask data: a question in plain words, answered from a database by one model-written SELECT.

1. The model sees the schema the connection's user can read (tables, columns, types, keys;
   minus the connection's `ai_excluded`), the dialect's name, and the question, and answers
   JSON `{"sql": …}`: one SELECT.
2. The SELECT runs through the read-only path (integrations.sql: the statement guard, a
   read-only session and transaction, the row and byte limits). A statement the guard or
   the database refuses as a write is never shown back to the model: the ask fails.
3. When the database refuses the SQL itself (a wrong column, a typo: `SQL_ERROR`), the model
   is shown the error and asked once for a corrected query. A second failure ends the ask.
4. `answer` is one short sentence in words, from a second model call that sees the question,
   the SQL and the first rows (without excluded columns). Words need a model: a sentence
   derived from the shape of the rows ("3 rows") answers nothing. With `words=False`, or
   when no row matched, the sentence is derived and no call is made.
Every model call goes through `chat`, which the caller meters (per model; per workflow as
the step's `usage`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from integrations import llm, sql_errors
from integrations.sql import DatabaseTarget, QueryResult, run_read_query
from integrations.sql_errors import QueryFailed
from workflows.engine.values import NotJson, to_json_value

DIALECTS = {"postgresql": "PostgreSQL", "mysql": "MySQL/MariaDB", "datasets": "DuckDB"}
REPAIRABLE = frozenset({sql_errors.SQL_ERROR})
ROWS_SHOWN_FOR_WORDS = 20
RESULT_CHARS_FOR_WORDS = 4000
WORDS_MAX_TOKENS = 200

Chat = Callable[[llm.ChatRequest], llm.ChatReply]


class AskFailed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AskSource:
    """Where to ask: the target, the schema the model may see, and the column names it may not."""

    target: DatabaseTarget
    tables: list[dict[str, Any]]
    hidden_columns: frozenset[str] = frozenset()

    @property
    def dialect(self) -> str:
        return DIALECTS.get(self.target.kind, self.target.kind)


@dataclass
class Metered:
    """Wraps a chat call and adds up the tokens of every call made through it."""

    call: Chat
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    models: list[str] = field(default_factory=list)

    def __call__(self, request: llm.ChatRequest) -> llm.ChatReply:
        reply = self.call(request)
        self.input_tokens += reply.input_tokens
        self.output_tokens += reply.output_tokens
        self.calls += 1
        if reply.model not in self.models:
            self.models.append(reply.model)
        return reply

    def usage(self) -> dict[str, Any]:
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens, "calls": self.calls}


def schema_text(tables: list[dict[str, Any]]) -> str:
    """One line per table: `schema.table(column type [PK] [→ table.column], …)`."""
    lines = []
    for table in tables:
        columns = []
        for column in table["columns"]:
            marks = " PK" if column.get("primary_key") else ""
            marks += f" -> {column['references']}" if column.get("references") else ""
            # A dataset's column keeps its file header as label: the words a question uses.
            label = column.get("label")
            marks += f' "{label}"' if label and label != column["name"] else ""
            columns.append(f"{column['name']} {column['type']}{marks}")
        lines.append(f"{table['schema']}.{table['name']}({', '.join(columns)})")
    return "\n".join(lines) or "(no tables visible)"


def sql_system_prompt(source: AskSource) -> str:
    return (
        f"You write exactly one read-only {source.dialect} SELECT statement (WITH … SELECT allowed) "
        "that answers the user's question from this database. Never write INSERT, UPDATE, DELETE, DDL or "
        'more than one statement. Answer with JSON only: {"sql": "<the statement>"}.\n'
        'Schema (schema.table(column type, PK = primary key, -> = foreign key, "…" = original header)):\n'
        f"{schema_text(source.tables)}"
    )


def ask(
    source: AskSource, question: str, chat: Chat, *, model: str = "", words: bool = True, rows_as: str = "objects"
) -> dict[str, Any]:
    """`{question, sql, columns, rows, row_count, truncated, answer, repaired}`; raises AskFailed,
    QueryFailed (the database), QueryRefused (the guard) or llm.LlmError."""
    if not question.strip():
        raise AskFailed("ASK_NO_QUESTION", "The question is empty: there is nothing to ask.")
    messages = [{"role": "user", "content": question}]
    system = sql_system_prompt(source)
    reply = chat(llm.ChatRequest(messages=messages, system=system, model=model, json_output=True))
    statement = _statement_of(reply)
    repaired = False
    try:
        result = run_read_query(source.target, statement)
    except QueryFailed as failure:
        if failure.code not in REPAIRABLE:
            raise
        messages += [
            {"role": "assistant", "content": reply.text},
            {"role": "user", "content": _repair_prompt(source, failure)},
        ]
        reply = chat(llm.ChatRequest(messages=messages, system=system, model=model, json_output=True))
        statement, repaired = _statement_of(reply), True
        result = run_read_query(source.target, statement)
    answer = word_answer(source, question, statement, result, chat, model) if words else derived_answer(result)
    shaped = result.as_dict(rows_as)
    return {"question": question, "sql": statement, **shaped, "answer": answer, "repaired": repaired}


def _repair_prompt(source: AskSource, failure: QueryFailed) -> str:
    return (
        f"That query failed on {source.dialect}: {failure.message}\n"
        'Correct it. Answer with JSON only: {"sql": "<the corrected statement>"}.'
    )


def _statement_of(reply: llm.ChatReply) -> str:
    data = reply.data
    statement = data.get("sql") if isinstance(data, dict) else None
    if not isinstance(statement, str) or not statement.strip():
        raise AskFailed("ASK_NO_SQL", 'The model did not answer with a query (JSON {"sql": …}).')
    return statement.strip()


def _plain(value: Any) -> Any:
    """A value as the model and a sentence read it: its JSON form, or its text when it has none."""
    try:
        return to_json_value(value)
    except NotJson:
        return str(value)


def derived_answer(result: QueryResult) -> str:
    """A sentence from the rows alone: the value of a one-cell result, else how many rows."""
    if not result.rows:
        return "No rows matched the question."
    if len(result.rows) == 1 and len(result.columns) == 1:
        value = _plain(result.rows[0][0])
        return f"{result.columns[0]}: {value if isinstance(value, str) else json.dumps(value)}."
    more = " (more were cut at the row limit)" if result.truncated else ""
    return f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''} matched{more}."


def word_answer(source: AskSource, question: str, statement: str, result: QueryResult, chat: Chat, model: str) -> str:
    if not result.rows:
        return derived_answer(result)
    shown = [
        {name: _plain(value) for name, value in zip(result.columns, row, strict=True)
         if name.lower() not in source.hidden_columns}
        for row in result.rows[:ROWS_SHOWN_FOR_WORDS]
    ]  # fmt: skip
    rows_text = json.dumps(shown, ensure_ascii=False)[:RESULT_CHARS_FOR_WORDS]
    count = f"{len(result.rows)} rows{' (cut at the limit)' if result.truncated else ''}"
    prompt = f"Question: {question}\nSQL: {statement}\nResult, {count}; the first ones:\n{rows_text}"
    system = (
        "Answer the question in one short sentence in plain words, from the query's result only. "
        "No SQL, no lists, no markdown."
    )
    messages = [{"role": "user", "content": prompt}]
    reply = chat(llm.ChatRequest(messages=messages, system=system, model=model, max_tokens=WORDS_MAX_TOKENS))
    return reply.text.strip() or derived_answer(result)
