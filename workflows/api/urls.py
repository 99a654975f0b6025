from django.urls import path

from workflows.api import views_editor as editor
from workflows.api import views_events as events
from workflows.api import views_executions as executions
from workflows.api import views_metrics as metrics
from workflows.api import views_system as system
from workflows.api import views_workflows as workflows

urlpatterns = [
    path("workflows", workflows.WorkflowListView.as_view(), name="workflow-list"),
    path("workflows/import", workflows.WorkflowImportView.as_view(), name="workflow-import"),
    path("workflows/<str:workflow_id>", workflows.WorkflowDetailView.as_view(), name="workflow-detail"),
    path("workflows/<str:workflow_id>/validate", workflows.WorkflowValidateView.as_view()),
    path("workflows/<str:workflow_id>/activate", workflows.WorkflowActivationView.as_view(active=True)),
    path("workflows/<str:workflow_id>/deactivate", workflows.WorkflowActivationView.as_view(active=False)),
    path("workflows/<str:workflow_id>/publish", workflows.WorkflowPublishView.as_view()),
    path("workflows/<str:workflow_id>/versions", workflows.VersionListView.as_view()),
    path("workflows/<str:workflow_id>/versions/<int:number>", workflows.VersionDetailView.as_view()),
    path("workflows/<str:workflow_id>/versions/<int:number>/restore", workflows.VersionRestoreView.as_view()),
    path("workflows/<str:workflow_id>/export", workflows.WorkflowExportView.as_view()),
    path("workflows/<str:workflow_id>/execute", executions.WorkflowExecuteView.as_view()),
    path("workflows/<str:workflow_id>/test-step", editor.WorkflowTestStepView.as_view()),
    path("workflows/<str:workflow_id>/preview", editor.WorkflowPreviewView.as_view()),
    path("workflows/<str:workflow_id>/metrics", metrics.WorkflowMetricsView.as_view()),
    path("workflows/<str:workflow_id>/executions", executions.ExecutionListView.as_view()),
    path("workflows/<str:workflow_id>/executions/<str:execution_id>", executions.ExecutionDetailView.as_view()),
    path("executions", executions.ExecutionListView.as_view(), name="execution-list"),
    path("executions/<str:execution_id>", executions.ExecutionDetailView.as_view(), name="execution-detail"),
    path("executions/<str:execution_id>/events", events.ExecutionEventsView.as_view(), name="execution-events"),
    path("executions/<str:execution_id>/steps", events.ExecutionStepsView.as_view(), name="execution-steps"),
    path("executions/<str:execution_id>/cancel", executions.ExecutionActionView.as_view(action_name="cancel")),
    path("executions/<str:execution_id>/retry", executions.ExecutionActionView.as_view(action_name="retry")),
    path("executions/<str:execution_id>/resume", executions.ExecutionActionView.as_view(action_name="resume")),
    path("node-types", executions.NodeTypeListView.as_view(), name="node-type-list"),
    path("system/queue", system.SystemQueueView.as_view(), name="system-queue-api"),
    path("system/executions/<str:execution_id>/requeue", system.SystemRequeueView.as_view()),
]
