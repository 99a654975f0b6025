"""Full-text retrieval over a knowledge base's chunks: PostgreSQL FTS or SQLite FTS5 (D26b).

`search(kb, question, limit)` picks the backend by the database vendor. A question is read as
words, any of which may match (OR), ranked by relevance: a chatbot's question is a sentence,
and "all words must appear" would miss most answers. Stop words and punctuation never reach
either engine as syntax: PostgreSQL parses the question with plainto_tsquery (no operators),
and SQLite gets only quoted word tokens, so quotes, `AND`, `NEAR(`, `*` or `-` in a question
are words or nothing, never an error.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.db import connection

from knowledge.models import KnowledgeBase

MAX_LIMIT = 20
MAX_QUESTION_CHARS = 2000

# PostgreSQL's `english` stop words (Snowball), so both backends ignore the same words.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most other
    some such no nor not only own same so than too very s t can will just don should now""".split()  # noqa: SIM905
)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Passage:
    chunk_id: int
    document_id: str
    document_title: str
    heading: str
    text: str
    score: float

    def as_dict(self) -> dict:
        return asdict(self)


def words(question: str) -> list[str]:
    """The question's searchable words: lower case, no stop words, no duplicates, in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall((question or "")[:MAX_QUESTION_CHARS].lower()):
        word = word.strip("_")
        if word and word not in STOP_WORDS:
            seen.setdefault(word, None)
    return list(seen)


def search(kb: KnowledgeBase | str, question: str, limit: int = 5) -> list[Passage]:
    """The chunks of `kb` that best answer `question`, best first; [] when none shares a word."""
    kb_id = kb if isinstance(kb, str) else kb.pk
    limit = max(1, min(int(limit), MAX_LIMIT))
    if not words(question):
        return []
    if connection.vendor == "postgresql":
        return _postgres(kb_id, question, limit)
    if connection.vendor == "sqlite":
        return _sqlite(kb_id, question, limit)
    raise NotImplementedError(f"Knowledge search needs PostgreSQL or SQLite, not {connection.vendor}.")


_POSTGRES = """
    WITH q AS (
        SELECT replace(plainto_tsquery('english', %(question)s)::text, ' & ', ' | ')::tsquery AS query
    )
    SELECT c.id, d.id, d.title, c.heading, c.text, ts_rank(c.search_vector, q.query, 1) AS score
    FROM knowledge_chunk c
    JOIN knowledge_document d ON d.id = c.document_id
    CROSS JOIN q
    WHERE c.knowledge_base_id = %(kb)s AND c.search_vector @@ q.query
    ORDER BY score DESC, c.id
    LIMIT %(limit)s
"""


def _postgres(kb_id: str, question: str, limit: int) -> list[Passage]:
    # plainto_tsquery ignores operators and punctuation; its ANDs become ORs.
    text = " ".join(words(question))
    with connection.cursor() as cursor:
        cursor.execute(_POSTGRES, {"question": text, "kb": kb_id, "limit": limit})
        return [Passage(row[0], row[1], row[2], row[3], row[4], round(float(row[5]), 6)) for row in cursor.fetchall()]


_SQLITE = """
    SELECT c.id, d.id, d.title, c.heading, c.text, -bm25(knowledge_chunk_fts, 2.0, 1.0) AS score
    FROM knowledge_chunk_fts
    JOIN knowledge_chunk c ON c.id = knowledge_chunk_fts.rowid
    JOIN knowledge_document d ON d.id = c.document_id
    WHERE knowledge_chunk_fts MATCH %s AND c.knowledge_base_id = %s
    ORDER BY score DESC, c.id
    LIMIT %s
"""


def _sqlite(kb_id: str, question: str, limit: int) -> list[Passage]:
    # Each word quoted (a \w+ token holds no quote), joined by OR: FTS5 sees no operators.
    expression = " OR ".join(f'"{word}"' for word in words(question))
    with connection.cursor() as cursor:
        cursor.execute(_SQLITE, [expression, kb_id, limit])
        return [Passage(row[0], row[1], row[2], row[3], row[4], round(float(row[5]), 6)) for row in cursor.fetchall()]
