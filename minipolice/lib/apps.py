from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "minipolice.lib"
    label = "minipolice_lib"
