"""Pages for chat channels and conversations, and the widget's script and stylesheet."""

from django.urls import path

from chat import views, views_widget

urlpatterns = [
    path("chat/widget.js", views_widget.widget_file, {"name": "widget.js"}, name="chat-widget-js"),
    path("chat/widget.css", views_widget.widget_file, {"name": "widget.css"}, name="chat-widget-css"),
    path("chat/channels/", views.channels_page, name="chat-channels"),
    path("chat/channels/<str:channel_id>/", views.channel_page, name="chat-channel"),
    path("chat/channels/<str:channel_id>/delete/", views.channel_delete_page, name="chat-channel-delete"),
    path("chat/conversations/", views.conversations_page, name="chat-conversations"),
    path("chat/conversations/<str:conversation_id>/", views.conversation_page, name="chat-conversation"),
]
