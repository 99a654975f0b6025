from django.apps import AppConfig


class FunctionsConfig(AppConfig):
    name = "functions_app"
    label = "functions_app"
    verbose_name = "Functions"
    default_auto_field = "django.db.models.BigAutoField"
