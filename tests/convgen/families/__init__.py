"""Phrasing families: each turns a truth into the clerk's messages. ``heldout`` is never tuned to."""

from __future__ import annotations

import random
from collections.abc import Callable

from ..truth import Truth
from . import heldout, tuned

Family = Callable[[Truth, random.Random], list[str]]

TUNED: dict[str, Family] = dict(tuned.FAMILIES)
HELDOUT: dict[str, Family] = {"heldout": heldout.conversation}
ALL: dict[str, Family] = {**TUNED, **HELDOUT}
