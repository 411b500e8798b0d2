"""Tự chấm điểm: a producer scores a product against the OCOP criteria of its set, by chat."""

from handlers.assessment import result, walk
from handlers.engine.feature import Feature

ASSESSMENT = Feature(name="assessment", flows=(walk.flow,))

__all__ = ["ASSESSMENT", "result"]
