"""Step names of the claims feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final

START_PAYLOAD_DRAFT: Final = "start_payload"  # where a /start payload waits for onboarding


class Claims:
    """The `claims` steps."""

    OFFER: Final = "claims.offer"
    START: Final = "claims.start"
    PICK: Final = "claims.pick"
    VERIFY: Final = "claims.verify"
    CODE: Final = "claims.code"
    LINK: Final = "claims.link"  # an invitation's deep link opened (Telegram /start payload)


class ClaimOfficer:
    """The `claim_officer` steps."""

    MAIN: Final = "claim_officer.main"
    DECIDE: Final = "claim_officer.decide"
    CODE: Final = "claim_officer.code"
