from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clusterhub.audit"
    label = "audit"
