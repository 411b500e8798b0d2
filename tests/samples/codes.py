"""Sample contexts for the templates about wrong one-time codes."""

SAMPLES: dict[str, dict[str, object]] = {
    "codes/paused": {"minutes": 60},
    "codes/ceiling_notice": {"count": 30, "minutes": 60},
}
