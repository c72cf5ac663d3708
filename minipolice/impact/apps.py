from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "minipolice.impact"
