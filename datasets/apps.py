from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "datasets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The integrations app runs queries for the `datasets` connection kind through this
        # engine; it never imports this app (datasets sits above integrations).
        from datasets import engine
        from integrations import sql

        sql.register_engine("datasets", engine.DATASETS_ENGINE)
