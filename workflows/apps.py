from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from workflows.idempotency import prune_expired_keys
        from workflows.scheduler import register_periodic_task

        register_periodic_task("expired_idempotency_keys", prune_expired_keys, every=3600)
