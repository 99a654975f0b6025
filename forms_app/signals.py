"""Hooks other apps connect to, so forms need not know who starts what.

`form_submitted` is sent with sender=Form, form=<Form>, submission=<Submission> once per
accepted submission, after it is committed. `forms_app.receivers` holds the receiver that
starts every active workflow with a `trigger.form` node for that form.
"""

from __future__ import annotations

from django.dispatch import Signal

form_submitted = Signal()
