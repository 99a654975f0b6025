from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the signal receivers that start form-triggered runs and emit outbound events.
        from workflows import receivers  # noqa: F401
