"""Step names of the trainings feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Trainings:
    """Trainings: officers publish and change them, producers enrol."""

    MANAGE: Final = "trainings.manage"
    NEW_PROVINCE: Final = "trainings.new_province"
    NEW_TITLE: Final = "trainings.new_title"
    NEW_TOPIC: Final = "trainings.new_topic"
    NEW_STARTS_AT: Final = "trainings.new_starts_at"
    NEW_ENDS_AT: Final = "trainings.new_ends_at"
    NEW_PLACE: Final = "trainings.new_place"
    NEW_CAPACITY: Final = "trainings.new_capacity"
    NEW_AUDIENCE: Final = "trainings.new_audience"
    NEW_REGISTRATION_DEADLINE: Final = "trainings.new_registration_deadline"
    NEW_AUDIENCE_VALUE: Final = "trainings.new_audience_value"
    NEW_CONFIRM: Final = "trainings.new_confirm"
    DETAIL: Final = "trainings.detail"
    EDIT_PICK: Final = "trainings.edit_pick"
    EDIT_VALUE: Final = "trainings.edit_value"
    CANCEL_CONFIRM: Final = "trainings.cancel_confirm"
    UPCOMING: Final = "trainings.upcoming"
    VIEW: Final = "trainings.view"
    LEAVE: Final = "trainings.leave"
    MINE: Final = "trainings.mine"
    FRESH: Final = "trainings.fresh"
