from django.urls import path

from minipolice.programme import views

app_name = "programme"
urlpatterns = [
    path("curriculum/", views.module_list, name="module_list"),
    path("curriculum/new/", views.module_create, name="module_create"),
    path("curriculum/copy-library/", views.library_copy, name="library_copy"),
    path("curriculum/<int:pk>/", views.module_detail, name="module_detail"),
    path("curriculum/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("curriculum/<int:pk>/copy/", views.module_copy, name="module_copy"),
    path("curriculum/<int:pk>/resources/new/", views.resource_add, name="resource_add"),
    path("curriculum/resources/<int:pk>/", views.resource_download, name="resource_download"),
    path("curriculum/resources/<int:pk>/remove/", views.resource_remove, name="resource_remove"),
    path("programme-templates/", views.template_list, name="template_list"),
    path("programme-templates/new/", views.template_create, name="template_create"),
    path("programme-templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("programme-templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("programme-templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
]
