from django.urls import path

from chat.api import views

urlpatterns = [
    path("channels", views.ChannelListCreateView.as_view(), name="channel-list"),
    path("channels/<str:pk>", views.ChannelDetailView.as_view(), name="channel-detail"),
    path("channels/<str:pk>/metrics", views.ChannelMetricsView.as_view(), name="channel-metrics"),
    path("conversations", views.ConversationListView.as_view(), name="conversation-list"),
    path("conversations/<str:pk>", views.ConversationDetailView.as_view(), name="conversation-detail"),
]
