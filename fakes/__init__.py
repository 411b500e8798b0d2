"""Local stand-ins for the Telegram Bot API and the Zalo Bot API, used by tests and benchmarks."""
