"""Broadcasts: officers compose and follow announcements; producers read them."""

from handlers.broadcasts import announcements, compose, history
from handlers.engine.feature import Feature

BROADCASTS = Feature(
    name="broadcasts",
    flows=(compose.flow, history.flow, announcements.flow),
    exporters=(announcements.export_messages,),
)
