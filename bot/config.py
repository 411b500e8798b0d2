"""The one settings object, read once from the environment and an optional `.env`."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import config_rules as rules
from handlers.engine.config import HandlerConfig


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


_numbers = rules.numbers


class Settings(BaseSettings):
    """Everything configurable, with the environment variable that sets it."""

    model_config = SettingsConfigDict(
        env_file=".env", frozen=True, extra="ignore", populate_by_name=True
    )

    db_path: Path = Field(Path("data/ocop.db"), validation_alias=_env("OCOP_DB_PATH", "db_path"))
    # A PostgreSQL server instead of the SQLite file (`postgresql://user:pass@host:5432/ocop`).
    database_url: SecretStr | None = Field(
        None, validation_alias=_env("OCOP_DATABASE_URL", "database_url")
    )
    admins: str = Field("", validation_alias=_env("OCOP_ADMINS", "admins"))
    timezone: str = Field("Asia/Ho_Chi_Minh", validation_alias=_env("OCOP_TIMEZONE", "timezone"))
    log_level: str = Field("INFO", validation_alias=_env("OCOP_LOG_LEVEL", "log_level"))
    # How long one update may wait for a database that another program (an sqlite3 shell, a
    # backup, an import) is writing to: a minute covers the 20-35 s such jobs were seen to
    # hold the lock, yet a person who hears nothing for longer is better told to resend.
    db_busy_budget: float = Field(
        60.0, gt=0, validation_alias=_env("OCOP_DB_BUSY_BUDGET", "db_busy_budget")
    )
    # Several workers on PostgreSQL: how long a dead worker's scheduler or poller, and the
    # outbox rows it was sending, stay its own before another worker takes them over.
    leader_lease: int = Field(15, ge=1, le=30,
                              validation_alias=_env("OCOP_LEADER_LEASE", "leader_lease"))
    outbox_lease: int = Field(60, ge=1,
                              validation_alias=_env("OCOP_OUTBOX_LEASE", "outbox_lease"))
    # PostgreSQL only: connections `ocop-bot run` keeps open at most (one per update handled
    # at the same moment, and the readers); the server's own limit is 100 by default.
    db_pool_size: int = Field(
        8, ge=1, le=100, validation_alias=_env("OCOP_DB_POOL_SIZE", "db_pool_size")
    )

    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias=_env("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_api_base_url: str = Field(
        "https://api.telegram.org/bot",
        validation_alias=_env("TELEGRAM_API_BASE_URL", "telegram_api_base_url"),
    )
    telegram_poll_timeout: float = Field(  # 0 would poll in a busy loop
        10.0, ge=1, validation_alias=_env("TELEGRAM_POLL_TIMEOUT", "telegram_poll_timeout")
    )

    zalo_bot_token: SecretStr | None = Field(
        None, validation_alias=_env("ZALO_BOT_TOKEN", "zalo_bot_token")
    )
    zalo_api_base_url: str = Field(
        "https://bot-api.zaloplatforms.com/bot",
        validation_alias=_env("ZALO_API_BASE_URL", "zalo_api_base_url"),
    )
    zalo_poll_timeout: int = Field(
        30, ge=1, validation_alias=_env("ZALO_POLL_TIMEOUT", "zalo_poll_timeout")
    )
    zalo_messages_per_second: float = Field(
        5.0, validation_alias=_env("ZALO_MESSAGES_PER_SECOND", "zalo_messages_per_second")
    )
    zalo_chat_interval: float = Field(
        1.0, ge=0, validation_alias=_env("ZALO_CHAT_INTERVAL", "zalo_chat_interval")
    )
    zalo_photo_timeout: float = Field(
        150.0, gt=0, validation_alias=_env("ZALO_PHOTO_TIMEOUT", "zalo_photo_timeout")
    )
    # The Zalo Bot plan: messages a month (every send and "typing…" counts; 0: count only),
    # how long sends pause after Zalo's 429 "Quota exceeded" (0: until the month renews), and
    # from what share of the plan on only urgent messages go.
    zalo_monthly_quota: int = Field(
        3000, ge=0, validation_alias=_env("OCOP_ZALO_MONTHLY_QUOTA", "zalo_monthly_quota")
    )
    zalo_quota_pause_hours: float = Field(
        0.0, ge=0,
        validation_alias=_env("OCOP_ZALO_QUOTA_PAUSE_HOURS", "zalo_quota_pause_hours"),
    )
    zalo_urgent_from: int = Field(
        95, ge=1, le=100, validation_alias=_env("OCOP_ZALO_URGENT_FROM", "zalo_urgent_from")
    )

    webhook_base_url: str | None = Field(
        None, validation_alias=_env("OCOP_WEBHOOK_BASE_URL", "webhook_base_url")
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, validation_alias=_env("TELEGRAM_WEBHOOK_SECRET", "telegram_webhook_secret")
    )
    zalo_webhook_secret: SecretStr | None = Field(
        None, validation_alias=_env("ZALO_WEBHOOK_SECRET", "zalo_webhook_secret")
    )
    webhook_host: str = Field(
        "127.0.0.1", validation_alias=_env("OCOP_WEBHOOK_HOST", "webhook_host")
    )
    webhook_port: int = Field(8080, validation_alias=_env("OCOP_WEBHOOK_PORT", "webhook_port"))

    # the bot's Telegram username (without @): printed invitations carry a t.me deep link
    telegram_bot_username: str | None = Field(
        None, validation_alias=_env("TELEGRAM_BOT_USERNAME", "telegram_bot_username")
    )
    web_base_url: str | None = Field(
        None, validation_alias=_env("OCOP_WEB_BASE_URL", "web_base_url")
    )
    web_host: str = Field("127.0.0.1", validation_alias=_env("OCOP_WEB_HOST", "web_host"))
    web_port: int = Field(8080, validation_alias=_env("OCOP_WEB_PORT", "web_port"))
    # The health check's own listener, used when neither webhooks nor the console run (0: off).
    health_host: str = Field("127.0.0.1", validation_alias=_env("OCOP_HEALTH_HOST", "health_host"))
    health_port: int = Field(8080, validation_alias=_env("OCOP_HEALTH_PORT", "health_port"))


    round_reminder_days: str = Field(
        "7,1", validation_alias=_env("OCOP_ROUND_REMINDER_DAYS", "round_reminder_days")
    )
    training_reminder_hours: str = Field(
        "24,2", validation_alias=_env("OCOP_TRAINING_REMINDER_HOURS", "training_reminder_hours")
    )

    quiet_start: time = Field(
        time(21, 0), validation_alias=_env("OCOP_QUIET_START", "quiet_start")
    )
    quiet_end: time = Field(time(7, 0), validation_alias=_env("OCOP_QUIET_END", "quiet_end"))

    # Outbox sender: pacing per channel, retries, per-user daily cap.
    telegram_messages_per_second: float = Field(
        25.0,
        validation_alias=_env("TELEGRAM_MESSAGES_PER_SECOND", "telegram_messages_per_second"),
    )
    telegram_chat_interval: float = Field(
        1.0, ge=0, validation_alias=_env("TELEGRAM_CHAT_INTERVAL", "telegram_chat_interval")
    )
    daily_cap: int = Field(3, ge=0, validation_alias=_env("OCOP_DAILY_CAP", "daily_cap"))
    outbox_backoff_base: float = Field(
        2.0, gt=0, validation_alias=_env("OCOP_OUTBOX_BACKOFF_BASE", "outbox_backoff_base")
    )
    outbox_backoff_max: float = Field(
        600.0, gt=0, validation_alias=_env("OCOP_OUTBOX_BACKOFF_MAX", "outbox_backoff_max")
    )
    progress_interval: float = Field(
        3.0, validation_alias=_env("OCOP_PROGRESS_INTERVAL", "progress_interval")
    )

    @field_validator("quiet_start", "quiet_end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> object:
        return rules.clock(value)

    @field_validator("db_path", mode="before")
    @classmethod
    def _db_path(cls, value: object) -> Path:
        return rules.db_path(value)

    @field_validator("telegram_bot_token", "zalo_bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        return rules.token(value)

    @field_validator("telegram_webhook_secret", mode="before")
    @classmethod
    def _telegram_secret(cls, value: object) -> object:
        return rules.telegram_secret(value)

    @field_validator("zalo_webhook_secret", mode="before")
    @classmethod
    def _zalo_secret(cls, value: object) -> object:
        return rules.zalo_secret(value)

    @field_validator("telegram_api_base_url", "zalo_api_base_url")
    @classmethod
    def _api_base(cls, value: str) -> str:
        return rules.api_base(value)

    @field_validator("web_base_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        return rules.web_url(value)

    @field_validator("webhook_base_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        return rules.webhook_url(value)

    @field_validator("webhook_port", "web_port", "health_port")
    @classmethod
    def _port(cls, value: int) -> int:
        return rules.port(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return rules.zone_name(value)

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(rules.postgres_url(value.get_secret_value()))

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        return rules.level(value)

    @field_validator("admins")
    @classmethod
    def _admins(cls, value: str) -> str:
        return rules.admins(value)

    @field_validator("round_reminder_days", "training_reminder_hours")
    @classmethod
    def _number_list(cls, value: str) -> str:
        return rules.number_list(value)

    @field_validator(
        "telegram_messages_per_second", "zalo_messages_per_second", "progress_interval",
    )
    @classmethod
    def _positive(cls, value: float) -> float:
        return rules.positive(value)

    @model_validator(mode="after")
    def _together(self) -> Settings:
        if self.outbox_backoff_base > self.outbox_backoff_max:
            raise rules.problem("backoff", variable="OCOP_OUTBOX_BACKOFF_BASE",
                                got=self.outbox_backoff_base, limit=self.outbox_backoff_max)
        return self

    @property
    def database(self) -> str:
        """Where the data lives: the PostgreSQL URL when set, else the SQLite file."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return str(self.db_path)

    @property
    def admin_addresses(self) -> frozenset[str]:
        """Admin accounts as `channel:id` strings."""
        return frozenset(part.strip() for part in self.admins.split(",") if part.strip())

    def handler_config(self) -> HandlerConfig:
        """The part of the settings the conversations need."""
        return HandlerConfig(
            admins=self.admin_addresses,
            timezone=self.timezone,
            round_reminder_days=_numbers(self.round_reminder_days),
            training_reminder_hours=_numbers(self.training_reminder_hours),
            web_base_url=self.web_base_url.rstrip("/") if self.web_base_url else None,
            zalo_monthly_quota=self.zalo_monthly_quota if self.zalo_bot_token else 0,
            telegram_bot_username=(self.telegram_bot_username or "").lstrip("@") or None,
        )


class SettingProblem(ValueError):
    """A setting is wrong in a way only the operator can fix: the bot stops and says which.
    `key` names its line for people (label `cli.setting.<key>`, with `context`); the
    message itself is for the log."""

    def __init__(self, message: str, key: str = "", **context: object) -> None:
        super().__init__(message)
        self.key, self.context = key, context


class TokenRefused(SettingProblem):
    """A platform refused the bot token."""

    def __init__(self, variable: str, platform: str) -> None:
        super().__init__(f"{platform} refused the bot token: check {variable}",
                         "token_refused", variable=variable, platform=platform)
