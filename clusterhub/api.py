"""The REST API: one NinjaAPI, one router per app. Schema at /api/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="clusterhub API",
    version="1",
    description=(
        "Registry of a region's innovation ecosystem: clusters, organizations, memberships, "
        "people. Browsers authenticate with their session (CSRF token required on writes); "
        "machine clients with `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
)
