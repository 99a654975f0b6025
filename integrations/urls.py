from django.urls import path

from integrations import views

urlpatterns = [
    path("credentials/", views.credentials_page, name="credentials"),
    path("credentials/new/<str:type_name>/", views.credential_form_page, name="credential-new"),
    path("credentials/<str:credential_id>/edit/", views.credential_form_page, name="credential-edit"),
    path("credentials/<str:credential_id>/delete/", views.credential_delete_page, name="credential-delete"),
    path("connections/", views.connections_page, name="connections"),
    path("connections/<str:connection_id>/test/", views.connection_test_page, name="connection-test-page"),
    path("connections/<str:connection_id>/delete/", views.connection_delete_page, name="connection-delete"),
]
