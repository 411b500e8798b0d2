"""Sample contexts for the Telegram channel's own templates."""

SAMPLES: dict[str, dict[str, object]] = {
    "errors/private_only": {},
}
