"""The API app's routes, all in the `api` namespace: the REST API under /api/v1/ (django-ninja,
whose operations are named by their function: `api:list_units`) and the pages where a signed-in
user manages their own API tokens."""

from django.urls import include, path

from minipolice.api import views
from minipolice.api.api import api

ninja_patterns, _, namespace = api.urls
app_name = namespace  # "api": ninja reverses its docs and schema as api:openapi-json
urlpatterns = [
    path("api/v1/", include(ninja_patterns)),
    path("api-tokens/", views.token_list, name="api_token_list"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
