"""The conversations, channel-agnostic: every feature of the bot, listed once.

The dispatcher, the reminder scheduler and the channels' command menus are built from
`FEATURES`; nothing is registered by importing a module.
"""

from handlers.account import ACCOUNT
from handlers.assessment import ASSESSMENT
from handlers.broadcasts import BROADCASTS
from handlers.claims import CLAIMS
from handlers.engine.feature import Feature
from handlers.figures import FIGURES
from handlers.products import PRODUCTS
from handlers.rating import RATING
from handlers.rounds import ROUNDS
from handlers.trainings import TRAININGS

FEATURES: tuple[Feature, ...] = (
    ACCOUNT, BROADCASTS, FIGURES, PRODUCTS, RATING, ROUNDS, TRAININGS, CLAIMS, ASSESSMENT,
)

__all__ = ["FEATURES", "Feature"]
