"""Step names of the self-assessment (tự chấm điểm).

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Assessment:
    """Scoring a product against the criteria of its set, criterion by criterion."""

    START: Final = "assessment.start"  # pick the product (or resume the one given)
    CRITERION: Final = "assessment.criterion"
    RESULT: Final = "assessment.result"
    EDIT: Final = "assessment.edit"  # the criteria of one part, to change an answer
