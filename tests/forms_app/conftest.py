from __future__ import annotations

import pytest

from forms_app import services

CONTACT_FIELDS = [
    {"key": "name", "type": "text", "label": "Your name", "required": True, "max_length": 20},
    {"key": "email", "type": "email", "label": "Email", "required": True},
    {"key": "message", "type": "textarea", "label": "Message", "help_text": "Tell us more."},
    {"key": "seats", "type": "number", "label": "Seats", "min_value": 1, "max_value": 10},
    {"key": "plan", "type": "select", "label": "Plan", "options": ["Starter", "Pro"]},
    {"key": "terms", "type": "checkbox", "label": "I accept the terms", "required": True},
    {"key": "start", "type": "date", "label": "Start date"},
]
GOOD_ANSWER = {
    "name": "Ada",
    "email": "ada@example.com",
    "message": "Hello",
    "seats": 3,
    "plan": "Pro",
    "terms": True,
    "start": "2026-03-01",
}


@pytest.fixture
def contact_form(acme, alice):
    return services.create_form(
        acme.default_project,
        name="Contact us",
        slug="contact-us",
        success_message="Thanks, we will write back.",
        fields=CONTACT_FIELDS,
        actor=alice,
    )


@pytest.fixture
def globex_form(globex):
    return services.create_form(globex.default_project, name="Globex survey", fields=CONTACT_FIELDS[:1])
