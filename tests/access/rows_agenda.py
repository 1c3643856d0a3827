"""Rows of the access matrix (tests/access/matrix.py) for the agenda routes."""

from tests.access.rows import Row

HTML: list[Row] = []
API: list[Row] = []
