from django.urls import path

from accounts.api import views

urlpatterns = [
    path("api-keys", views.ApiKeyListCreateView.as_view(), name="api-key-list"),
    path("api-keys/<str:pk>", views.ApiKeyDetailView.as_view(), name="api-key-detail"),
    path("members", views.MemberListView.as_view(), name="member-list"),
    path("members/<str:member_id>", views.MemberDetailView.as_view(), name="member-detail"),
    path("projects", views.ProjectListView.as_view(), name="project-list"),
    path("usage", views.UsageView.as_view(), name="usage"),
    path("ws-tickets", views.WsTicketView.as_view(), name="ws-ticket"),
    path("audit-log", views.AuditLogView.as_view(), name="audit-log"),
]
