"""The same retrieval in the embedded mode (SQLite FTS5): a child process without DATABASE_URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.knowledge.test_search import HOSTILE_QUESTIONS, QUESTIONS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sqlite_results(tmp_path_factory):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env["FLOWBUILDER_VAR_DIR"] = str(tmp_path_factory.mktemp("embedded") / "var")
    env["DJANGO_SETTINGS_MODULE"] = "flowbuilder.settings"
    questions = json.dumps([q for q, _ in QUESTIONS])
    done = subprocess.run(
        [sys.executable, "-m", "tests.knowledge.sqlite_probe", questions, json.dumps(HOSTILE_QUESTIONS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_it_ran_on_sqlite(sqlite_results):
    assert sqlite_results["vendor"] == "sqlite"


@pytest.mark.parametrize("question, phrase", QUESTIONS)
def test_the_best_passage_answers_the_question_on_sqlite(sqlite_results, question, phrase):
    best = sqlite_results["best"][question]
    assert best and phrase in best[0]


def test_hostile_questions_never_break_fts5(sqlite_results):
    assert set(sqlite_results["hostile"]) == set(HOSTILE_QUESTIONS)
    assert sqlite_results["hostile"]["refund\"' OR 1=1 --"] > 0
    assert sqlite_results["hostile"][""] == 0


def test_a_deleted_document_leaves_the_fts5_index(sqlite_results):
    assert "Warranty and repairs" not in sqlite_results["after_delete"]
