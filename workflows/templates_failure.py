"""The "Email me when a workflow fails" template: an error workflow (workflows.error_workflows)."""

from __future__ import annotations

from workflows.engine.nodes.triggers import FAILED_RUN_SAMPLE
from workflows.template_parts import FillIn, WorkflowTemplate, edge, flow, node

FAILURE_TEXT = """The workflow “{{ trigger.workflow.name }}” failed.

Step: {{ trigger.error.node_id or "(outside a step)" }}
Error: {{ trigger.error.code }}: {{ trigger.error.message }}
Started by: {{ trigger.execution.mode }}, at {{ trigger.execution.started_at }}

Open the run: {{ trigger.execution.url }}
"""

FAILURE_EMAIL = WorkflowTemplate(
    slug="email-on-failure",
    name="Email me when a workflow fails",
    summary="Choose it as another workflow's error workflow (its Settings: “On failure, run”): "
    "each failed run sends you an email with the step, the error and a link to the run.",
    definition=flow(
        [
            node("failed", "trigger.error", "A workflow failed", {"sample_input": FAILED_RUN_SAMPLE}, at=(0, 0)),
            node(
                "email_me",
                "email.send",
                "Email me",
                {
                    "to": "you@example.com",
                    "subject": "Failed: {{ trigger.workflow.name }} ({{ trigger.error.code }})",
                    "text": FAILURE_TEXT,
                },
                at=(1, 0),
            ),
        ],
        [edge("failed", "email_me")],
    ),
    to_fill=(FillIn("email_me", "to", "your address"),),
)
