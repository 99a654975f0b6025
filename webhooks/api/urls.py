from django.urls import path

from webhooks.api import views, views_hooks

urlpatterns = [
    path("webhooks", views.WebhookListCreateView.as_view(), name="webhook-list"),
    path("webhooks/<str:pk>", views.WebhookDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<str:pk>/test", views.WebhookTestView.as_view(), name="webhook-test"),
    path("webhooks/<str:pk>/deliveries", views.DeliveryListView.as_view(), name="webhook-delivery-list"),
    path(
        "webhooks/<str:pk>/deliveries/<str:delivery_id>/retry",
        views.DeliveryRetryView.as_view(),
        name="webhook-delivery-retry",
    ),
    path("workflows/<str:workflow_id>/hooks", views_hooks.WorkflowHookListView.as_view(), name="workflow-hook-list"),
    path(
        "workflows/<str:workflow_id>/hooks/<str:node_id>/regenerate",
        views_hooks.WorkflowHookRegenerateView.as_view(),
        name="workflow-hook-regenerate",
    ),
]
