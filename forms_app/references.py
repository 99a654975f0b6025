"""The form trigger's form must be one of the project's forms (a check for workflows.references)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from forms_app.models import Form
from forms_app.receivers import FORM_TRIGGER
from workflows.engine import Problem
from workflows.references import chosen, setup_problem


def form_trigger_problems(project, nodes: list[tuple[int, dict]]) -> Iterator[Problem]:
    for i, node in nodes:
        config = node.get("config")
        if node.get("type") != FORM_TRIGGER or not isinstance(config, dict):
            continue
        form_id = chosen(config, "form_id")
        if not config.get("form_id"):
            yield setup_problem(i, "form_id", "choose the form that starts this flow", "/forms/")
        elif form_id and not Form.objects.filter(Q(id=form_id) | Q(slug=form_id), project=project).exists():
            message = f"there is no form “{form_id}” in this project; choose one of your forms"
            yield Problem(f"nodes[{i}].config.form_id", "FORM_NOT_FOUND", message, link="/forms/")
