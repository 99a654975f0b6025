"""`{% workflow_status workflow %}`: the status pill in the one vocabulary (workflows/status.py)."""

from django import template
from django.utils.html import format_html

from workflows.status import status_label

register = template.Library()


@register.simple_tag
def workflow_status(workflow):
    label = status_label(workflow.status, workflow.published_version)
    return format_html(
        '<span class="status-pill status-{}" title="{}" data-workflow-status="{}">{}</span>',
        label.key, label.title, label.key, label.text,
    )  # fmt: skip
