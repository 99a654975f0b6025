"""The public form pages, mounted at /f/."""

from django.urls import path

from forms_app import public_views

urlpatterns = [
    path("<slug:slug>", public_views.public_form, name="public-form"),
    path("<slug:slug>/thanks", public_views.public_form_thanks, name="public-form-thanks"),
]
