"""Ready-made workflows a builder can start from, in the canonical nodes/edges form.

Every trigger declares `sample_input` (what it would receive), which the editor's Run
prefills, so a template runs on its first Run. Credentials, connections and forms belong to
each project, so a template cannot name them, and the address of a builder's own service
is theirs to give: those settings stay empty (or hold a placeholder `example.com` address)
and are listed in `to_fill`. The editor's problems list shows each as a "Set up first"
problem with a link (workflows.references); tests/workflows/test_templates.py holds the two
in step and runs every template.
"""

from __future__ import annotations

from workflows.template_parts import (  # noqa: F401 (re-exported: the catalog's public names)
    SLACK_URL,
    FillIn,
    WorkflowTemplate,
    edge,
    flow,
    form_sample,
    node,
    webhook_sample,
)
from workflows.templates_failure import FAILURE_EMAIL

ORDER_TRIAGE = WorkflowTemplate(
    slug="order-triage",
    name="Order triage",
    summary="Run it now: big orders get the VIP treatment, the others a standard reply.",
    definition=flow(
        [
            node(
                "start",
                "trigger.manual",
                "Order received",
                {"sample_input": {"customer": "Ada Lovelace", "amount": 250}},
                at=(0, 1),
            ),
            node("check", "logic.if", "Big order?", {"condition": "{{ input.amount > vars.threshold }}"}, at=(1, 1)),
            node(
                "vip",
                "data.set",
                "VIP handling",
                {"fields": {"tier": "vip", "customer": "{{ trigger.customer }}", "amount": "{{ input.amount }}"}},
                at=(2, 0),
            ),
            node(
                "standard",
                "data.set",
                "Standard handling",
                {"fields": {"tier": "standard", "customer": "{{ trigger.customer }}"}},
                at=(2, 2),
            ),
        ],
        [edge("start", "check"), edge("check", "vip", "true"), edge("check", "standard", "false")],
        {"threshold": 100},
    ),
)

LEAD_NOTIFICATION = WorkflowTemplate(
    slug="lead-notification",
    name="Lead notification",
    summary="A webhook receives leads; hot ones (score over a threshold) are posted to a Slack channel.",
    definition=flow(
        [
            node(
                "lead",
                "trigger.webhook",
                "New lead",
                {
                    "methods": ["POST"],
                    "sample_input": webhook_sample({"name": "Grace", "email": "grace@example.com", "score": 85}),
                },
                at=(0, 1),
            ),
            node(
                "hot", "logic.if", "Score high?", {"condition": "{{ trigger.body.score > vars.threshold }}"}, at=(1, 1)
            ),
            node(
                "notify",
                "http.request",
                "Post to Slack",
                {
                    "method": "POST",
                    "url": SLACK_URL,
                    "body": {
                        "text": "Hot lead: {{ trigger.body.name }} <{{ trigger.body.email }}>, "
                        "score {{ trigger.body.score }}"
                    },
                },
                at=(2, 0),
            ),
            node("skip", "logic.succeed", "Not hot", {"output": {"notified": False}}, at=(2, 2)),
        ],
        [edge("lead", "hot"), edge("hot", "notify", "true"), edge("hot", "skip", "false")],
        {"threshold": 70},
    ),
    to_fill=(FillIn("notify", "url", "your Slack incoming-webhook URL"),),
)

FORM_TO_SLACK = WorkflowTemplate(
    slug="form-to-slack",
    name="Form to Slack",
    summary="Each submission of a form is tidied up and posted to a Slack channel.",
    definition=flow(
        [
            node(
                "form",
                "trigger.form",
                "Form submitted",
                {
                    "sample_input": form_sample(
                        {"name": "Ada", "email": "ada@example.com", "message": "Can I get a demo next week?"}
                    )
                },
                at=(0, 0),
            ),
            node(
                "tidy",
                "data.set",
                "Format message",
                {
                    "fields": {
                        "text": "New message from {{ trigger.data.name }} ({{ trigger.data.email }}): "
                        "{{ trigger.data.message }}"
                    }
                },
                at=(1, 0),
            ),
            node(
                "post",
                "http.request",
                "Post to Slack",
                {"method": "POST", "url": SLACK_URL, "body": "{{ input }}"},
                at=(2, 0),
            ),
        ],
        [edge("form", "tidy"), edge("tidy", "post")],
    ),
    to_fill=(
        FillIn("form", "form_id", "the form that starts the flow"),
        FillIn("post", "url", "your Slack incoming-webhook URL"),
    ),
)

DATABASE_ALERT = WorkflowTemplate(
    slug="scheduled-database-alert",
    name="Scheduled database alert",
    summary="Every weekday at 8:00, look for failed orders and email the team when there are any.",
    definition=flow(
        [
            node(
                "every_morning",
                "trigger.schedule",
                "Weekdays 8:00",
                {
                    "cron": "0 8 * * 1-5",
                    "timezone": "UTC",
                    "sample_input": {"scheduled_at": "2026-01-05T08:00:00+00:00", "missed_ticks": 0},
                },
                at=(0, 1),
            ),
            node(
                "failed_orders",
                "db.query",
                "Find failed orders",
                {
                    "sql": "SELECT id, customer, total FROM orders "
                    "WHERE status = 'failed' AND created_at > now() - interval '1 day' ORDER BY id",
                    "row_limit": 500,
                },
                at=(1, 1),
            ),
            node("any", "logic.if", "Any rows?", {"condition": "{{ input.row_count > 0 }}"}, at=(2, 1)),
            node(
                "alert",
                "email.send",
                "Email the team",
                {
                    "to": "ops@example.com",
                    "subject": "{{ input.row_count }} failed orders in the last day",
                    # Rows are objects keyed by column name; `table` lists them under a header, in
                    # the query's column order (`lines('Order {id}: {total}')`: a line per row; D22).
                    "text": "Failed orders in the last day:\n\n{{ input.rows | table(input.columns) }}",
                },
                at=(3, 0),
            ),
            node("quiet", "logic.succeed", "All good", {}, at=(3, 2)),
        ],
        [
            edge("every_morning", "failed_orders"),
            edge("failed_orders", "any"),
            edge("any", "alert", "true"),
            edge("any", "quiet", "false"),
        ],
    ),
    to_fill=(
        FillIn("failed_orders", "connection", "the database connection to query"),
        FillIn("alert", "to", "who gets the alert"),
    ),
)

APPROVAL = WorkflowTemplate(
    slug="approval",
    name="Approval with wait-for-event",
    summary="Ask for approval, wait up to a day for the answer, then call your system or stop.",
    definition=flow(
        [
            node(
                "request",
                "trigger.manual",
                "Approval requested",
                {"sample_input": {"item": "Laptop for Ada", "amount": 1200, "requested_by": "ada@example.com"}},
                at=(0, 1),
            ),
            node(
                "approval",
                "logic.wait_for_event",
                "Wait for approval",
                {"event": "approval", "timeout_seconds": 86400},
                at=(1, 1),
            ),
            node("approved", "logic.if", "Approved?", {"condition": "{{ input.approved == true }}"}, at=(2, 0)),
            node(
                "proceed",
                "http.request",
                "Tell the system",
                {"method": "POST", "url": "https://api.example.com/approvals", "body": "{{ trigger }}"},
                at=(3, 0),
            ),
            node(
                "rejected", "logic.fail", "Rejected", {"code": "REJECTED", "message": "{{ input.reason }}"}, at=(3, 1)
            ),
            node(
                "timed_out",
                "logic.fail",
                "No answer",
                {"code": "TIMED_OUT", "message": "Nobody answered in time"},
                at=(2, 2),
            ),
        ],
        [
            edge("request", "approval"),
            edge("approval", "approved"),
            edge("approval", "timed_out", "timeout"),
            edge("approved", "proceed", "true"),
            edge("approved", "rejected", "false"),
        ],
    ),
    to_fill=(FillIn("proceed", "url", "the address of the system to call once approved"),),
)

SUPPORT_CHATBOT = WorkflowTemplate(
    slug="support-chatbot",
    name="Support chatbot",
    summary="Chat messages with support keywords are answered from your FAQ by an AI assistant, which then "
    "takes the customer's name and email for a follow-up.",
    definition=flow(
        [
            node(
                "message",
                "trigger.message",
                "Customer message",
                {
                    "channel": "web",
                    "keywords": ["help", "support", "order"],
                    "sample_input": {"channel": "web", "from": "visitor-1", "text": "I need help with my order"},
                },
                at=(0, 0),
            ),
            node(
                "answer",
                "ai.chat",
                "Answer from the FAQ",
                {
                    "system": "You are a friendly support agent. Answer in two sentences at most.",
                    "prompt": "{{ trigger.text }}",
                    "knowledge_base": "",
                    "max_tokens": 300,
                },
                at=(1, 0),
            ),
            node("reply", "chat.message", "Reply", {"text": "{{ input.text }}"}, at=(2, 0)),
            node(
                "details",
                "chat.form",
                "Ask name and email",
                {
                    "fields": [
                        {"name": "name", "type": "text", "label": "Can I have your name for a follow-up?"},
                        {"name": "email", "type": "email", "label": "And your email address?"},
                    ],
                    "timeout_seconds": 86400,
                },
                at=(3, 0),
            ),
            node(
                "confirm",
                "chat.message",
                "Confirm",
                {"text": "Thanks {{ input.name }}! We will follow up at {{ input.email }}."},
                at=(4, 0),
            ),
        ],
        [edge("message", "answer"), edge("answer", "reply"), edge("reply", "details"), edge("details", "confirm")],
    ),
    to_fill=(
        FillIn("answer", "credential", "an LLM credential"),
        FillIn("answer", "knowledge_base", "the knowledge base (your FAQ) to answer from"),
    ),
)

ASK_DATABASE = WorkflowTemplate(
    slug="ask-your-database",
    name="Ask your database",
    summary="Ask a question in plain words: the AI reads your database's schema, writes one read-only "
    "SELECT, and answers with the rows and a sentence.",
    definition=flow(
        [
            node(
                "question",
                "trigger.manual",
                "Question",
                {"sample_input": {"question": "Which customers ordered most last month?"}},
                at=(0, 0),
            ),
            node("ask", "db.ask", "Ask data", {"question": "{{ trigger.question }}"}, at=(1, 0)),
        ],
        [edge("question", "ask")],
    ),
    to_fill=(
        FillIn("ask", "connection", "the database connection to ask"),
        FillIn("ask", "credential", "an LLM credential"),
    ),
)

TEMPLATES: tuple[WorkflowTemplate, ...] = (
    ORDER_TRIAGE,
    LEAD_NOTIFICATION,
    FORM_TO_SLACK,
    DATABASE_ALERT,
    APPROVAL,
    SUPPORT_CHATBOT,
    ASK_DATABASE,
    FAILURE_EMAIL,
)


def get_template(slug: str) -> WorkflowTemplate | None:
    return next((template for template in TEMPLATES if template.slug == slug), None)
