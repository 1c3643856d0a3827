"""Demo data of engagement: none of its own.

Engagement is computed from what the other apps record (check-ins, contributions,
endorsements, comments) and from real sign-ins; inventing sign-ins would make the demo's
statuses lie. `load_demo` only reports what the demo manager's cluster page will show.
"""

from django.utils.translation import gettext as _

from clusterhub.core.demo import MANAGER_EMAIL
from clusterhub.engagement.selectors import cluster_engagement
from clusterhub.regions.models import Cluster


def load_demo() -> str:
    cluster = Cluster.objects.filter(staff_roles__person__email=MANAGER_EMAIL).first()
    if cluster is None:
        return _("engagement: no demo manager yet")
    counts = cluster_engagement(cluster).status_counts
    return _(
        "engagement of %(cluster)s: %(active)d active, %(cooling)d cooling, "
        "%(dormant)d dormant members"
    ) % {"cluster": cluster.slug, **counts}
