"""Existing certified products: importing a province's lists, and producers claiming them."""

from handlers.claims import flow, link, offers, officer
from handlers.engine.feature import Feature

CLAIMS = Feature(name="claims", flows=(flow.flow, officer.flow),
                 reminder_rules=(offers.offer_matches,))
__all__ = ["CLAIMS", "link"]  # link adds the deep-link step to the claims flow
