"""Demo data of the trends app: one detection run of the region and of each cluster over the
demo projects and contributions, so that the radar is not empty after `make run`.

Idempotent: a scope whose latest finished run read the same data is not run again.
"""

from __future__ import annotations

from clusterhub.regions.models import Cluster
from clusterhub.trends.documents import scope_snapshot
from clusterhub.trends.models import Period, RunStatus
from clusterhub.trends.selectors import latest_done_run
from clusterhub.trends.services import trend_run_create, trend_run_execute


def load_demo() -> str:
    """Run the detection where the data changed since the last run; a one-line summary."""
    ran = kept = topics = 0
    for cluster in [None, *Cluster.objects.order_by("position", "slug")]:
        latest = latest_done_run(cluster)
        if latest is not None and latest.snapshot_hash == scope_snapshot(cluster)["hash"]:
            kept += 1
            continue
        run = trend_run_create(actor=None, cluster=cluster, period=Period.QUARTER)
        run = trend_run_execute(run_id=run.pk)
        if run.status == RunStatus.DONE:
            ran += 1
            topics += run.topics.count()
    return f"{ran} trend runs ({topics} topics), {kept} unchanged"
