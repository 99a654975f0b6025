"""A form filled in on its public page reaches a subscribed receiver, signed, via a real worker."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from standardwebhooks import Webhook

from forms_app import services as form_services

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_page_submission_is_delivered_as_form_submitted(acme, receiver, make_subscription, run_worker):
    created = make_subscription(receiver.url)
    form = form_services.create_form(
        acme.default_project,
        name="Newsletter",
        fields=[{"key": "email", "type": "email", "label": "Email", "required": True}],
    )
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(f"/f/{form.slug}").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    answer = browser.post(f"/f/{form.slug}", {"email": "ada@example.com", "csrfmiddlewaretoken": token})
    run_worker()

    assert answer.status_code == 302
    [request] = receiver.requests
    assert request.headers["X-WorkFlows-Event"] == "form.submitted"
    Webhook(created.secret).verify(request.body, request.headers)
    event = json.loads(request.body)
    assert event["data"]["form"] == {"id": form.id, "name": "Newsletter", "slug": form.slug}
    assert event["data"]["submission"]["data"] == {"email": "ada@example.com"}
    assert event["data"]["submission"]["source"] == "page"
