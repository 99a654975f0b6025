from django.urls import path

from functions_app.api import views

urlpatterns = [
    path("functions", views.FunctionListCreateView.as_view(), name="function-list"),
    path("functions/<str:pk>", views.FunctionDetailView.as_view(), name="function-detail"),
    path("functions/<str:pk>/test", views.FunctionTestView.as_view(), name="function-test"),
    path("functions/<str:pk>/versions", views.FunctionVersionListView.as_view(), name="function-versions"),
]
