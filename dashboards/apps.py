from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dashboards.services import refresh_due_tiles
        from workflows.scheduler import register_periodic_task

        # Tiles refreshed on a schedule: each scheduler pass looks, every minute, for those due.
        register_periodic_task("dashboard_tiles", refresh_due_tiles, every=60)
