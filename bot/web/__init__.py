"""The officers' web console: pages beside the chat, served by the same app as the webhooks."""
