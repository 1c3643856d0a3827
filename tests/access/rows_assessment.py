"""Rows of the access matrix (tests/access/matrix.py) for the assessment routes."""

from tests.access.matrix import Row  # noqa: F401

HTML: list[Row] = []
API: list[Row] = []
