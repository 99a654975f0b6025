from django.contrib import admin

from webhooks.models import Delivery, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("id", "url", "project", "enabled", "created_at")
    exclude = ("secret",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event_type", "subscription", "status", "attempt_count", "created_at")
