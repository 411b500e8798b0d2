"""Existing certified products: importing a province's lists, and producers claiming them."""

from handlers.claims import flow, officer
from handlers.engine.feature import Feature

CLAIMS = Feature(name="claims", flows=(flow.flow, officer.flow))
