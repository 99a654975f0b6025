"""Run by test_search_sqlite.py in a child process with no DATABASE_URL: the embedded mode's SQLite.

Migrates a fresh SQLite database, uploads the FAQ, and prints each question's best passage
(and what hostile questions return) as JSON on the last line.
"""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flowbuilder.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.services import create_organization  # noqa: E402
from knowledge.search import search  # noqa: E402
from knowledge.services import add_document, create_knowledge_base, delete_document  # noqa: E402
from tests.knowledge.faq import FAQ_MARKDOWN, HELP_HTML  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    assert connection.vendor == "sqlite", connection.vendor
    project = create_organization("Acme").default_project
    kb = create_knowledge_base(project, name="Support")
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md")
    warranty = add_document(kb, HELP_HTML.encode(), filename="warranty.html")
    questions, hostile = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    best = {q: [p.text for p in search(kb, q, 3)][:1] for q in questions}
    odd = {q: len(search(kb, q, 5)) for q in hostile}
    delete_document(warranty)
    after_delete = [p.document_title for p in search(kb, "warranty repair", 5)]
    print(json.dumps({"best": best, "hostile": odd, "after_delete": after_delete, "vendor": connection.vendor}))


if __name__ == "__main__":
    main()
