"""Pages for outbound webhooks (signed-in members)."""

from django.urls import path

from webhooks import views

urlpatterns = [
    path("webhooks/", views.webhooks_page, name="webhooks"),
    path("webhooks/<str:webhook_id>/", views.webhook_detail_page, name="webhook-page"),
    path("webhooks/<str:webhook_id>/toggle/", views.toggle_webhook_page, name="webhook-toggle"),
    path("webhooks/<str:webhook_id>/test/", views.test_webhook_page, name="webhook-send-test"),
    path("webhooks/<str:webhook_id>/delete/", views.delete_webhook_page, name="webhook-delete"),
    path(
        "webhooks/<str:webhook_id>/deliveries/<str:delivery_id>/retry/",
        views.retry_delivery_page,
        name="webhook-delivery-retry-page",
    ),
]
