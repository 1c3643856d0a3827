"""Thin views: parse the request, call one service or selector, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clusterhub.core.access import Policy, access


@access(Policy.PUBLIC)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")
