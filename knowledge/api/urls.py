from django.urls import path

from knowledge.api import views

urlpatterns = [
    path("knowledge-bases", views.KnowledgeBaseListCreateView.as_view(), name="knowledge-base-list"),
    path("knowledge-bases/<str:pk>", views.KnowledgeBaseDetailView.as_view(), name="knowledge-base-detail"),
    path("knowledge-bases/<str:pk>/documents", views.DocumentListCreateView.as_view(), name="knowledge-document-list"),
    path(
        "knowledge-bases/<str:pk>/documents/<str:document_id>",
        views.DocumentDetailView.as_view(),
        name="knowledge-document-detail",
    ),
    path("knowledge-bases/<str:pk>/search", views.KnowledgeSearchView.as_view(), name="knowledge-search"),
]
