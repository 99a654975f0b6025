"""Builder pages for forms (signed-in members)."""

from django.urls import path

from forms_app import views

urlpatterns = [
    path("forms/", views.forms_page, name="forms"),
    path("forms/<str:form_id>/", views.form_builder_page, name="form-builder"),
    path("forms/<str:form_id>/delete/", views.delete_form_page, name="form-delete"),
    path("forms/<str:form_id>/submissions/", views.form_submissions_page, name="form-submissions"),
    path("forms/<str:form_id>/submissions.csv", views.form_submissions_csv, name="form-submissions-csv"),
]
