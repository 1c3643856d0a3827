"""Path parameters and text types shared by the agenda's three API routers."""

from typing import Annotated

from ninja import Path
from pydantic import StringConstraints

from clusterhub.agenda.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from clusterhub.api import NO_NUL

NUMBER = Path(..., ge=1, le=1_000_000)  # a version's number within its cluster
OptionalText = Annotated[str, StringConstraints(max_length=TEXT_MAX_LENGTH, pattern=NO_NUL)]
OptionalLine = Annotated[str, StringConstraints(max_length=TITLE_MAX_LENGTH, pattern=NO_NUL)]
