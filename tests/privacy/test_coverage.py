"""The export registry covers every relation to a person, in every app."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist

from clusterhub.privacy.registry import NOT_PERSONAL, covered_relations, exporters


def _relations_to_person():
    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model is person_model:
                yield model._meta.label, field.name


def test_every_relation_to_a_person_is_exported_or_declared_not_personal():
    relations = set(_relations_to_person())
    assert ("agenda.Ballot", "cast_by") in relations  # the walk sees every app

    uncovered = sorted(relations - covered_relations())

    assert uncovered == [], (
        "These fields point at a person but the privacy registry does not say what the export "
        f"and the erasure do with them (clusterhub/privacy/registry.py): {uncovered}"
    )


def test_the_registry_names_only_fields_that_exist_and_point_at_a_person():
    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    for exporter in exporters():
        model = apps.get_model(exporter.model)
        for name in exporter.fields or ():
            model._meta.get_field(name)  # raises FieldDoesNotExist for a stale name
        if exporter.via and exporter.via != "pk":
            assert model._meta.get_field(exporter.via).related_model is person_model, exporter.key
        assert exporter.via or exporter.query, exporter.key
    for label, name in NOT_PERSONAL:
        try:
            apps.get_model(label)._meta.get_field(name)
        except FieldDoesNotExist as error:  # pragma: no cover - the message is the point
            raise AssertionError(
                f"NOT_PERSONAL names a field that is gone: {label}.{name}"
            ) from error


def test_each_section_has_its_own_file_name():
    keys = [exporter.key for exporter in exporters()]

    assert len(keys) == len(set(keys))
