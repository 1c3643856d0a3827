from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "clusterhub.assessment"
    label = "assessment"
