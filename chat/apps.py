from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "chat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Workflows never import chat: the run's chat services and the end of a run reach us here.
        from chat import adapters  # noqa: F401 - fills the adapter registry
        from chat.receivers import conversation_run_ended, conversation_run_parked
        from chat.references import knowledge_base_problems
        from chat.runtime import chat_services
        from workflows.models import Execution
        from workflows.references import register_reference_check
        from workflows.run_services import register_service_provider
        from workflows.terminal import execution_ended, execution_parked

        register_service_provider("chat", chat_services)
        register_reference_check(knowledge_base_problems)
        execution_ended.connect(conversation_run_ended, sender=Execution, dispatch_uid="chat.conversation_run_ended")
        execution_parked.connect(conversation_run_parked, sender=Execution, dispatch_uid="chat.conversation_run_parked")
