"""Background work of matchmaking, run by django-tasks workers (`manage.py db_worker`).

A changed profile is indexed with the fast encoder at once (`match_index_update`), then a
follow-up task computes the strong encoder's vector (`match_index_complete`).
"""

from django_tasks import task

from clusterhub.matchmaking.indexing import (
    fast_encoder,
    index_complete,
    index_exists,
    index_rebuild,
    index_update,
    schedule_completion,
)


@task()
def match_index_update(organization_ids: list[int]) -> dict[str, int]:
    """Index changed (or deleted) organizations with the fast encoder; queue the rest."""
    report = index_update(organization_ids)
    schedule_completion(report.incomplete)
    return {"documents": report.documents, "encoded": report.encoded, "removed": report.removed}


@task()
def match_index_complete(organization_ids: list[int]) -> dict[str, int]:
    """Compute the strong encoder's vectors that these organizations still lack."""
    report = index_complete(organization_ids)
    return {"documents": report.documents, "encoded": report.encoded, "reused": report.reused}


@task()
def match_index_rebuild(only_if_exists: bool = False) -> dict[str, int]:
    """Rebuild the match index from the database (after an import): stored vectors of
    unchanged profiles are reused, new ones get the fast encoder now and the rest later."""
    if only_if_exists and not index_exists():
        return {"documents": 0, "encoded": 0, "reused": 0}
    report = index_rebuild(encoders=(fast_encoder(),))
    schedule_completion(report.incomplete)
    return {"documents": report.documents, "encoded": report.encoded, "reused": report.reused}
