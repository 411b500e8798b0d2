"""The one hash of secrets kept in the database: sign-in links, sessions and every code.

Only SHA-256 hex digests of one-time codes (claim, officer invite, link) and of the web
console's link and session tokens are stored; the clear value exists only in the message
that hands it over and in what the person types. A lookup hashes what was typed.
"""

from __future__ import annotations

import hashlib


def digest(secret: str) -> str:
    """The stored form of a secret: its SHA-256, in hex (64 characters)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
