"""What `ai.chat` with a `knowledge_base` reaches through `ctx.services["knowledge"]`.

`KnowledgeAccess.ground(kb_id, question, limit)` retrieves the best passages of one of the
run's project's knowledge bases and words the instructions the model gets: the passages
numbered [1]…[n] to cite, or, when none is relevant, that it must say it found nothing.
The node (integrations.nodes) adds them to the system prompt and `sources`/`found` to its
output; this app is never imported by integrations (it reaches this through the services).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.models import KnowledgeBase
from knowledge.search import search

MAX_PASSAGE_CHARS = 2000

FOUND = (
    "Answer from the numbered passages of the knowledge base “{name}” below, and only from them. "
    "Cite each passage you use by its number in square brackets, like [1]. If the passages do not "
    "answer the question, say that the knowledge base has no answer to it; do not make one up."
)
NOT_FOUND = (
    "The knowledge base “{name}” has nothing relevant to this question. Say that you could not find "
    "an answer in the knowledge base, and do not make one up."
)


@dataclass(frozen=True)
class Grounding:
    instructions: str
    found: bool
    sources: list[dict[str, Any]] = field(default_factory=list)


class KnowledgeAccess:
    """The knowledge bases of one project, as a running node sees them."""

    def __init__(self, project_id: str) -> None:
        self.project_id = project_id

    def knowledge_base(self, kb_id: str) -> KnowledgeBase:
        """By id (what the editor's picker sets), else by name (an imported chatbot `configuration`
        names its `knowledge_base`); only in the run's project."""
        mine = KnowledgeBase.objects.filter(project_id=self.project_id)
        kb = mine.filter(pk=kb_id).first() or mine.filter(name=kb_id).first()
        if kb is None:
            raise LookupError(f"No knowledge base {kb_id} in this project.")
        return kb

    def ground(self, kb_id: str, question: str, limit: int = 4) -> Grounding:
        kb = self.knowledge_base(kb_id)
        passages = search(kb, question, limit)
        if not passages:
            return Grounding(instructions=NOT_FOUND.format(name=kb.name), found=False)
        blocks, sources = [], []
        for number, passage in enumerate(passages, start=1):
            where = f"{passage.document_title} — {passage.heading}" if passage.heading else passage.document_title
            blocks.append(f"[{number}] {where}\n{passage.text[:MAX_PASSAGE_CHARS]}")
            sources.append(
                {
                    "n": number,
                    "document_id": passage.document_id,
                    "document_title": passage.document_title,
                    "chunk_id": passage.chunk_id,
                    "heading": passage.heading,
                    "score": passage.score,
                }
            )
        instructions = FOUND.format(name=kb.name) + "\n\n" + "\n\n".join(blocks)
        return Grounding(instructions=instructions, found=True, sources=sources)
