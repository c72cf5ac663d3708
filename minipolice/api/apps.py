from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "minipolice.api"
