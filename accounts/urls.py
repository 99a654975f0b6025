from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import usage_csv, views, views_usage

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/api-keys/", views.api_keys_page, name="api-keys"),
    path("settings/api-keys/<str:key_id>/revoke/", views.revoke_api_key_page, name="api-key-revoke"),
    path("settings/members/", views.members_page, name="members"),
    path("settings/members/<str:member_id>/role/", views.change_role_page, name="member-role"),
    path("settings/members/<str:member_id>/remove/", views.remove_member_page, name="member-remove"),
    path("usage/", views_usage.usage_page, name="usage"),
    path("usage/export.csv", usage_csv.usage_csv, name="usage-csv"),
]
