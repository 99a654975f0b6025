from django.apps import AppConfig


class FormsAppConfig(AppConfig):
    name = "forms_app"
    default_auto_field = "django.db.models.BigAutoField"
