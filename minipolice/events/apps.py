from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "minipolice.events"
    verbose_name = "Events and reward visits"
