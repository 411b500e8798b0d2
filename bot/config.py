"""The one settings object, read once from the environment and an optional `.env`."""

from __future__ import annotations

import logging
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.engine.config import HandlerConfig


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def describe(error: ValidationError) -> str:
    """A configuration error as lines `VARIABLE: what is wrong`, for people, not tracebacks."""
    lines = []
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        field = Settings.model_fields.get(name)
        alias = field.validation_alias if field is not None else None
        variable = alias.choices[0] if isinstance(alias, AliasChoices) else name
        lines.append(f"{variable}: {problem['msg']} (got {problem.get('input')!r})")
    return "\n".join(lines)


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

    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias=_env("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_api_base_url: str = Field(
        "https://api.telegram.org/bot",
        validation_alias=_env("TELEGRAM_API_BASE_URL", "telegram_api_base_url"),
    )
    telegram_poll_timeout: float = Field(
        10.0, validation_alias=_env("TELEGRAM_POLL_TIMEOUT", "telegram_poll_timeout")
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

    web_base_url: str | None = Field(
        None, validation_alias=_env("OCOP_WEB_BASE_URL", "web_base_url")
    )
    web_host: str = Field("127.0.0.1", validation_alias=_env("OCOP_WEB_HOST", "web_host"))
    web_port: int = Field(8080, validation_alias=_env("OCOP_WEB_PORT", "web_port"))

    cert_validity_months: int = Field(
        36, validation_alias=_env("OCOP_CERT_VALIDITY_MONTHS", "cert_validity_months")
    )
    expiry_notice_days: str = Field(
        "90,30", validation_alias=_env("OCOP_EXPIRY_NOTICE_DAYS", "expiry_notice_days")
    )

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

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a time zone name such as Asia/Ho_Chi_Minh") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not value.get_secret_value().startswith(("postgresql://", "postgres://")):
            raise ValueError("write a PostgreSQL URL: postgresql://user:password@host:5432/ocop")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if not isinstance(logging.getLevelName(value.upper()), int):
            raise ValueError("use DEBUG, INFO, WARNING or ERROR")
        return value

    @field_validator("expiry_notice_days", "round_reminder_days", "training_reminder_hours")
    @classmethod
    def _number_list(cls, value: str) -> str:
        try:
            numbers = _numbers(value)
        except ValueError:
            raise ValueError("write whole numbers separated by commas, e.g. 7,1") from None
        if any(number <= 0 for number in numbers):
            raise ValueError("every number must be above 0")
        return value

    @field_validator(
        "telegram_messages_per_second", "zalo_messages_per_second", "progress_interval",
    )
    @classmethod
    def _positive(cls, value: float | int) -> float | int:
        if value <= 0:
            raise ValueError("must be above 0")
        return value

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
            cert_validity_months=self.cert_validity_months,
            expiry_notice_days=_numbers(self.expiry_notice_days),
            web_base_url=self.web_base_url.rstrip("/") if self.web_base_url else None,
        )


class SettingProblem(ValueError):
    """A setting is wrong in a way only the operator can fix: the bot stops and says which."""


class TokenRefused(SettingProblem):
    """A platform refused the bot token."""

    def __init__(self, variable: str, platform: str) -> None:
        super().__init__(f"{platform} refused the bot token: check {variable}")
