from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "minipolice.consent"
