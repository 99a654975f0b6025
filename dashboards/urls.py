from django.urls import path

from dashboards import views

urlpatterns = [
    path("data-dashboard/", views.dashboard_page, name="project-dashboard"),
    path("data-dashboard/tiles/", views.pin_tile_page, name="dashboard-tile-pin"),
    path("data-dashboard/tiles/<str:tile_id>/refresh/", views.refresh_tile_page, name="dashboard-tile-refresh"),
    path("data-dashboard/tiles/<str:tile_id>/unpin/", views.unpin_tile_page, name="dashboard-tile-unpin"),
]
