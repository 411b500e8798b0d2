"""Step names of the rounds feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Rounds:
    """Rating rounds: officers publish and change them, producers see deadlines."""

    MANAGE: Final = "rounds.manage"
    NEW_PROVINCE: Final = "rounds.new_province"
    NEW_NAME: Final = "rounds.new_name"
    NEW_KINDS: Final = "rounds.new_kinds"
    NEW_DATE: Final = "rounds.new_date"
    NEW_NOTE: Final = "rounds.new_note"
    NEW_CONFIRM: Final = "rounds.new_confirm"
    DETAIL: Final = "rounds.detail"
    EDIT_PICK: Final = "rounds.edit_pick"
    EDIT_DATE: Final = "rounds.edit_date"
    CANCEL_CONFIRM: Final = "rounds.cancel_confirm"
    DEADLINES: Final = "rounds.deadlines"
    WITHDRAW: Final = "rounds.withdraw"
    PICK_PRODUCT: Final = "rounds.pick_product"
    FRESH: Final = "rounds.fresh"
