from django.apps import AppConfig


class LazyDatasetsEngine:
    """The `datasets` connection kind's engine, imported at its first query.

    datasets.engine loads DuckDB and pyarrow (~70 MiB); web and worker processes that never
    query or parse a dataset stay without them (D19 addendum (3)).
    """

    def _engine(self):
        from datasets.engine import DATASETS_ENGINE

        return DATASETS_ENGINE

    def run(self, target, statement, params):
        return self._engine().run(target, statement, params)

    def describe(self, target):
        return self._engine().describe(target)

    def check(self, target):
        return self._engine().check(target)


class DatasetsConfig(AppConfig):
    name = "datasets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The integrations app runs queries for the `datasets` connection kind through this
        # engine; it never imports this app (datasets sits above integrations).
        from integrations import sql

        sql.register_engine("datasets", LazyDatasetsEngine())
