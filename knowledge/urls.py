from django.urls import path

from knowledge import views

urlpatterns = [
    path("knowledge-bases/", views.knowledge_bases_page, name="knowledge-bases"),
    path("knowledge-bases/<str:kb_id>/", views.knowledge_base_page, name="knowledge-base"),
    path("knowledge-bases/<str:kb_id>/delete/", views.knowledge_base_delete_page, name="knowledge-base-delete"),
    path(
        "knowledge-bases/<str:kb_id>/documents/<str:document_id>/delete/",
        views.document_delete_page,
        name="knowledge-document-delete",
    ),
]
