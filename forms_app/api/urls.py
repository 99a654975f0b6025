from django.urls import path

from forms_app.api import views

urlpatterns = [
    path("forms", views.FormListCreateView.as_view(), name="form-list"),
    path("forms/<str:pk>", views.FormDetailView.as_view(), name="form-detail"),
    path("forms/<str:pk>/submissions", views.SubmissionListCreateView.as_view(), name="form-submission-list"),
]
