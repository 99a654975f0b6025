"""Knowledge fixtures: Acme's support knowledge base with the FAQ and the help page uploaded."""

from __future__ import annotations

import pytest

from knowledge.services import add_document, create_knowledge_base
from tests.knowledge.faq import FAQ_MARKDOWN, HELP_HTML


@pytest.fixture
def support_kb(acme, alice):
    kb = create_knowledge_base(acme.default_project, name="Support", description="Customer FAQ", actor=alice)
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md", actor=alice)
    add_document(kb, HELP_HTML.encode(), filename="warranty.html", actor=alice)
    return kb
