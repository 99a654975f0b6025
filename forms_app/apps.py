from django.apps import AppConfig


class FormsAppConfig(AppConfig):
    name = "forms_app"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from forms_app.receivers import start_form_workflows
        from forms_app.references import form_trigger_problems
        from forms_app.signals import form_submitted
        from workflows.references import register_reference_check

        form_submitted.connect(start_form_workflows, dispatch_uid="forms_app.start_form_workflows")
        register_reference_check(form_trigger_problems)
