from django.urls import path

from datasets.api import views

urlpatterns = [
    path("datasets", views.DatasetListCreateView.as_view(), name="dataset-list"),
    path("datasets/preview", views.DatasetPreviewView.as_view(), name="dataset-preview"),
    path("datasets/<str:pk>", views.DatasetDetailView.as_view(), name="dataset-detail"),
    path("datasets/<str:pk>/rows", views.DatasetRowsView.as_view(), name="dataset-rows"),
    path("datasets/<str:pk>/replace", views.DatasetReplaceView.as_view(), name="dataset-replace"),
    path("datasets/<str:pk>/append", views.DatasetAppendView.as_view(), name="dataset-append"),
    path("datasets/<str:pk>/download", views.DatasetDownloadView.as_view(), name="dataset-download"),
]
