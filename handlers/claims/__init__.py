"""Existing certified products: importing a province's lists, and producers claiming them."""
