"""Tự chấm điểm: a producer scores a product against the OCOP criteria of its set, by chat."""

from handlers.assessment import result, walk
from handlers.assessment.export import export_assessments
from handlers.engine.feature import Feature

ASSESSMENT = Feature(name="assessment", flows=(walk.flow,), exporters=(export_assessments,))

__all__ = ["ASSESSMENT", "result"]
