"""Step names of the figures feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Figures:
    """The `figures` steps."""

    MAIN: Final = "figures.main"
    PICK: Final = "figures.pick"
    YEAR: Final = "figures.year"
    TARGET: Final = "figures.target"
