"""Existing certified products: importing a province's lists, and producers claiming them."""

from handlers.claims import flow, link, officer
from handlers.engine.feature import Feature

CLAIMS = Feature(name="claims", flows=(flow.flow, officer.flow))
__all__ = ["CLAIMS", "link"]  # link adds the deep-link step to the claims flow
