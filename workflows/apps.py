from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.usage import flush_usage
        from workflows.error_workflows import start_error_workflow
        from workflows.idempotency import prune_expired_keys
        from workflows.scheduler import register_periodic_task
        from workflows.terminal import execution_ended

        register_periodic_task("expired_idempotency_keys", prune_expired_keys, every=3600)
        # Usage counted in Redis on the hot path goes to the database here, in batches (D19).
        register_periodic_task("usage", flush_usage)
        # A failed run starts its error workflow in the transaction that records the failure.
        execution_ended.connect(start_error_workflow, dispatch_uid="workflows.error_workflows")
