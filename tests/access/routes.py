"""Every named route of the project, found by walking the URL resolver."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# The back office enforces its own staff checks; the API's operations are walked separately.
SKIPPED_NAMESPACES = {"admin", "api"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "" for an unnamed route
    pattern: str
    callback: Any


def walk(
    patterns: list[URLPattern | URLResolver] | None = None,
    namespace: str = "",
    prefix: str = "",
    skipped: frozenset[str] = frozenset(SKIPPED_NAMESPACES),
) -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in skipped:
                continue
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, inner, prefix + str(entry.pattern), skipped)
        else:
            name = ""
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name=name, pattern=prefix + str(entry.pattern), callback=entry.callback)


def api_operations() -> Iterator[tuple[str, str, Any]]:
    """(method, path, function) of every operation of the REST API."""
    import clusterhub.urls  # noqa: F401 - building the URLs mounts every router
    from clusterhub.api import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    full_path = "/" + "/".join(p.strip("/") for p in (prefix, path) if p.strip("/"))
                    yield method, full_path, operation.view_func
