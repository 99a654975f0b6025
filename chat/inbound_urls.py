"""The public inbound address of channels (mounted at the site root by flowbuilder/urls.py)."""

from django.urls import path

from chat.inbound import receive_channel_message

urlpatterns = [
    path("channels/<str:token>/messages", receive_channel_message, name="chat-inbound"),
]
