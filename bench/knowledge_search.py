"""Knowledge-base retrieval: upload (parse, chunk, index) and search times over a growing corpus.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/knowledge_search.py [--documents 500] [--questions 200] [--embedded]

`--documents` synthetic FAQ documents (about 8 KB of Markdown each, 8 sections, words drawn
from a 5,000-word vocabulary) plus the tests' real FAQ go into one knowledge base; then
`--questions` questions (half of them the FAQ's, half random words) are searched for the top 5
passages. `--embedded` runs the same on SQLite FTS5 (a temporary var dir) instead of PostgreSQL.
Prints upload and search medians and p95; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import configure, configure_embedded, make_org_and_key, percentile  # noqa: E402

FAQ_QUESTIONS = [
    "How many days until I get my money back?",
    "How long does shipping to Norway take?",
    "I can't remember my password",
    "Can I pay with PayPal?",
    "what does the warranty cover?",
]


def synthetic_document(rng: random.Random, vocabulary: list[str]) -> bytes:
    parts = [f"# Guide {rng.randrange(10**6)}"]
    for section in range(8):
        parts.append(f"## {' '.join(rng.choices(vocabulary, k=4))} {section}")
        for _ in range(3):
            parts.append(" ".join(rng.choices(vocabulary, k=55)) + ".")
    return "\n\n".join(parts).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--embedded", action="store_true")
    args = parser.parse_args()
    if args.embedded:
        configure_embedded(Path(tempfile.mkdtemp(prefix="kb-bench-")))
    else:
        configure()
    from django.db import connection

    from knowledge.models import Chunk
    from knowledge.search import search
    from knowledge.services import add_document, create_knowledge_base
    from tests.knowledge.faq import FAQ_MARKDOWN, HELP_HTML

    organization, _ = make_org_and_key("Knowledge bench")
    kb = create_knowledge_base(organization.default_project, name=f"bench {time.time_ns()}")
    rng = random.Random(20)
    vocabulary = [f"{rng.choice('bcdfghklmnprst')}{rng.choice('aeiou')}{rng.randrange(10**4)}" for _ in range(5000)]
    vocabulary += [
        "order",
        "refund",
        "delivery",
        "account",
        "invoice",
        "warranty",
        "password",
        "payment",
        "return",
        "parcel",
    ]
    uploads = []
    for index in range(args.documents):
        data = synthetic_document(rng, vocabulary)
        started = time.perf_counter()
        add_document(kb, data, filename=f"guide-{index}.md")
        uploads.append(time.perf_counter() - started)
    add_document(kb, FAQ_MARKDOWN.encode(), filename="faq.md")
    add_document(kb, HELP_HTML.encode(), filename="warranty.html")
    chunks = Chunk.objects.filter(knowledge_base=kb).count()

    questions = [FAQ_QUESTIONS[i % len(FAQ_QUESTIONS)] for i in range(args.questions // 2)]
    questions += [" ".join(rng.choices(vocabulary, k=6)) for _ in range(args.questions - len(questions))]
    timings, hits = [], 0
    for question in questions:
        started = time.perf_counter()
        found = search(kb, question, 5)
        timings.append(time.perf_counter() - started)
        hits += bool(found)
    faq_right = sum(
        bool(found) and found[0].document_title in ("Acme Support FAQ", "Warranty and repairs")
        for found in (search(kb, question, 5) for question in FAQ_QUESTIONS)
    )
    ms = 1000
    print(f"backend: {connection.vendor}; {args.documents + 2} documents, {chunks} chunks")
    print(f"upload (parse, chunk, index, one transaction): median {statistics.median(uploads) * ms:.1f} ms, "
          f"p95 {percentile(uploads, 0.95) * ms:.1f} ms per ~8 KB document")  # fmt: skip
    print(f"search top 5: median {statistics.median(timings) * ms:.2f} ms, p95 {percentile(timings, 0.95) * ms:.2f} ms "
          f"over {len(questions)} questions ({hits} with passages)")  # fmt: skip
    print(f"the FAQ's questions answered from the FAQ among {chunks} chunks: {faq_right}/{len(FAQ_QUESTIONS)}")
    print("command: " + " ".join(["bench/knowledge_search.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
