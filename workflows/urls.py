"""Page routes for workflows and executions (the JSON API lives in workflows/api/urls.py)."""

from django.urls import path

from workflows import views, views_executions, views_manage, views_metrics_page, views_settings

urlpatterns = [
    path("workflows/", views.workflow_list_page, name="workflows"),
    path("workflows/new/", views.workflow_new_page, name="workflow-new"),
    path("workflows/<str:workflow_id>/edit", views.workflow_edit_page, name="workflow-edit"),
    path("workflows/<str:workflow_id>/rename/", views_manage.workflow_rename_page, name="workflow-rename"),
    path("workflows/<str:workflow_id>/settings/", views_settings.workflow_settings_page, name="workflow-settings"),
    path("workflows/<str:workflow_id>/duplicate/", views_manage.workflow_duplicate_page, name="workflow-duplicate"),
    path("workflows/<str:workflow_id>/delete/", views_manage.workflow_delete_page, name="workflow-delete"),
    path("workflows/<str:workflow_id>/metrics", views_metrics_page.workflow_metrics_page, name="workflow-metrics"),
    path("executions/", views_executions.execution_list_page, name="executions"),
    path("executions/<str:execution_id>/", views_executions.execution_detail_page, name="execution-page"),
    path("executions/<str:execution_id>/status.json", views_executions.execution_status, name="execution-status"),
    path("executions/<str:execution_id>/cancel/", views_executions.execution_cancel_page, name="execution-cancel"),
    path("executions/<str:execution_id>/retry/", views_executions.execution_retry_page, name="execution-retry"),
    path("executions/<str:execution_id>/resume/", views_executions.execution_resume_page, name="execution-resume"),
]
