from django.urls import path

from datasets import views

urlpatterns = [
    path("data/", views.data_page, name="data"),
    path("data/query/", views.console_page, name="data-console"),
    path("data/upload/", views.upload_page, name="dataset-upload"),
    path("data/datasets/<str:dataset_id>/", views.dataset_page, name="dataset"),
    path("data/datasets/<str:dataset_id>/delete/", views.dataset_delete_page, name="dataset-delete"),
]
