"""Sample contexts for the Zalo channel's own templates."""

SAMPLES: dict[str, dict[str, object]] = {
    "zalo/document_unavailable": {"filename": "san-pham <1>.xlsx"},
}
