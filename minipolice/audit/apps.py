from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "minipolice.audit"
