from django.urls import path

from integrations.api import views, views_ask, views_query

urlpatterns = [
    path("credential-types", views.CredentialTypeListView.as_view(), name="credential-type-list"),
    path("credentials", views.CredentialListCreateView.as_view(), name="credential-list"),
    path("credentials/<str:pk>", views.CredentialDetailView.as_view(), name="credential-detail"),
    path("connections", views.ConnectionListCreateView.as_view(), name="connection-list"),
    path("connections/<str:pk>", views.ConnectionDetailView.as_view(), name="connection-detail"),
    path("connections/<str:pk>/test", views.ConnectionTestView.as_view(), name="connection-test"),
    path("connections/<str:pk>/schema", views.ConnectionSchemaView.as_view(), name="connection-schema"),
    path("connections/<str:pk>/ask", views_ask.ConnectionAskView.as_view(), name="connection-ask"),
    path("connections/<str:pk>/query", views_query.ConnectionQueryView.as_view(), name="connection-query"),
    path("integrations", views.IntegrationListView.as_view(), name="integration-list"),
    path("integrations/<str:pk>/test", views.IntegrationTestView.as_view(), name="integration-test"),
]
