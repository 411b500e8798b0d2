"""Every user-visible string: jinja2 templates per locale, labels, and text normalisation."""

from messages.render import Format, Renderer
from messages.text import fold, normalize

LOCALES = ("vi", "en")

__all__ = ["LOCALES", "Format", "Renderer", "fold", "normalize"]
