"""Open-data downloads of the directory for the HTML page: the current search, as CSV or JSON.

They take the directory page's own filter parameters, so a link can carry the search.
"""

from django.http import HttpRequest, StreamingHttpResponse

from clusterhub.core.access import Policy, access
from clusterhub.registry.exporting import csv_download, json_download
from clusterhub.registry.selectors import DirectoryFilters, organization_directory_loaded
from clusterhub.registry.web_forms import DirectoryFilterForm


def _filters(request: HttpRequest) -> DirectoryFilters:
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # invalid filters are left out, as on the directory page
    return form.filters()


@access(Policy.PUBLIC)
def organizations_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_download(organization_directory_loaded(_filters(request)))


@access(Policy.PUBLIC)
def organizations_json(request: HttpRequest) -> StreamingHttpResponse:
    return json_download(organization_directory_loaded(_filters(request)))
