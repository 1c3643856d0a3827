"""How the registry tells matchmaking that profiles changed: light to import, never raises.

`clusterhub.registry.services` and the import engine call these after their writes; each
enqueues a background task once the transaction has committed, so the task reads what was
saved.
"""

import logging
from collections.abc import Iterable

from django.db import transaction

logger = logging.getLogger(__name__)


def match_index_changed(organization_ids: Iterable[int]) -> None:
    """Profiles were created, changed or deleted: update the index in the background.

    Called once the writing transaction has committed (`transaction.on_commit`), so the task
    reads what was saved. A failure to enqueue never fails the write that triggered it.
    """
    ids = sorted({int(pk) for pk in organization_ids if pk is not None})
    if not ids:
        return
    from clusterhub.matchmaking.tasks import match_index_update

    try:
        match_index_update.enqueue(organization_ids=ids)
    except Exception:
        logger.exception("Could not enqueue the match index update of %s", ids[:20])


def match_index_changed_on_commit(organization_ids: Iterable[int]) -> None:
    """`match_index_changed` once the current transaction commits (at once outside one)."""
    ids = list(organization_ids)
    transaction.on_commit(lambda: match_index_changed(ids))


def match_index_rebuild_soon() -> None:
    """Many profiles changed (an import): rebuild the index in the background on commit.

    The rebuild reuses every stored vector whose text is unchanged, so it encodes only the
    new and changed profiles. Without an index yet, the first search builds it."""

    def enqueue() -> None:
        from clusterhub.matchmaking.tasks import match_index_rebuild

        try:
            match_index_rebuild.enqueue(only_if_exists=True)
        except Exception:
            logger.exception("Could not enqueue the match index rebuild")

    transaction.on_commit(enqueue)
