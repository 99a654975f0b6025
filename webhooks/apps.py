from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Workflows announce through signals and the scheduler's task list; they never import webhooks.
        from webhooks.outbox import SWEEP_EVERY_SECONDS, sweep_deliveries
        from webhooks.receivers import announce_published, write_end_deliveries
        from workflows.models import Execution, Workflow
        from workflows.scheduler import register_periodic_task
        from workflows.services import workflow_published
        from workflows.terminal import execution_ended

        workflow_published.connect(announce_published, sender=Workflow, dispatch_uid="webhooks.announce_published")
        execution_ended.connect(write_end_deliveries, sender=Execution, dispatch_uid="webhooks.write_end_deliveries")
        register_periodic_task("webhook_deliveries", sweep_deliveries, every=SWEEP_EVERY_SECONDS)
