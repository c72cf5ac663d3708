from django.urls import path

from minipolice.community import views

app_name = "community"
urlpatterns = [
    path("community-actions/", views.action_list, name="action_list"),
    path("community-totals/", views.totals, name="totals"),
    path("community-actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("community-actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path(
        "units/<int:unit_pk>/community-actions/new/",
        views.action_create,
        name="action_create",
    ),
]
