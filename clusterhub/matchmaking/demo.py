"""Demo data of matchmaking: the index of the demo registry (called by `load_demo`)."""

from collections.abc import Callable

from clusterhub.matchmaking.indexing import IndexReport, index_rebuild


def build_demo_index(progress: Callable[[int, int], None] | None = None) -> IndexReport:
    """Index every organization of the demo registry, so the first search is instant.

    Stored vectors of unchanged profiles are reused: loading the demo again is quick.
    """
    return index_rebuild(progress=progress)
