from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "minipolice.demo"
