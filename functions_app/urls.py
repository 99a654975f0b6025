from django.urls import path

from functions_app import views

urlpatterns = [
    path("functions/", views.functions_page, name="functions"),
    path("functions/new/", views.function_page, name="function-new"),
    path("functions/<str:function_id>/", views.function_page, name="function-edit"),
    path("functions/<str:function_id>/delete/", views.function_delete_page, name="function-delete"),
]
