"""Settings from ``PATRON_*`` environment variables and an optional ``.env`` file.

Nothing is read at import time: ``Settings()`` reads the environment when it is called, and
``create_app(settings)`` takes the result, so tests build apps without touching ``os.environ``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "placeholder"})


class Argon2Settings(BaseSettings):
    """argon2id cost parameters (``PATRON_ARGON2__MEMORY_COST`` and so on)."""

    memory_cost: int = Field(19456, ge=8)
    time_cost: int = Field(2, ge=1)
    parallelism: int = Field(1, ge=1)


class Settings(BaseSettings):
    """Every setting patron reads. See ``.env.example`` for the list with comments."""

    model_config = SettingsConfigDict(
        env_prefix="PATRON_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./var/patron.sqlite3"
    redis_url: str = ""
    throttle_enabled: bool = True
    jwt_secret: SecretStr = SecretStr("")
    public_url: str = "http://127.0.0.1:8000"
    trusted_proxies: list[str] = Field(default_factory=list)
    cookie_secure: Literal["auto", "true", "false"] = "auto"
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    var_dir: Path = Path("./var")
    log_format: Literal["json", "text"] = "json"

    public_registration: bool = True
    password_min_length: int = Field(8, ge=1, le=1024)
    password_blocklist: bool = True
    # PrestaShop 1.6's _COOKIE_KEY_, needed to verify its imported md5 password hashes.
    prestashop_cookie_key: SecretStr = SecretStr("")
    argon2: Argon2Settings = Field(default_factory=Argon2Settings)
    hash_threads: int = Field(0, ge=0, description="0 = one per CPU core")

    # Email: SMTP when smtp_host is set, else messages are written to var_dir/outbox.
    smtp_host: str = ""
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    mail_from: str = "patron@localhost"
    email_verification: bool = False
    reset_token_seconds: int = Field(3600, ge=60, le=3600)
    verify_token_seconds: int = Field(24 * 3600, ge=60)

    session_idle_seconds: int = Field(24 * 3600, ge=60)
    session_absolute_seconds: int = Field(30 * 24 * 3600, ge=60)
    list_max_limit: int = Field(100, ge=1, le=1000)
    db_pool_size: int = Field(10, ge=1)

    # AbanteCart storefront API (/index.php?rt=a/...). On by default: serving those clients is
    # what the face is for (AbanteCart itself ships it off).
    abantecart_enabled: bool = True
    abantecart_api_key: SecretStr = SecretStr("")
    abantecart_store_name: str = "Web Store Name"
    abantecart_history_limit: int = Field(20, ge=1, le=1000)
    # Aimeos JSON:API face.
    jsonapi_registration_limit: int = Field(
        3, ge=0, description="accounts per client IP within the window; 0 = no limit"
    )
    jsonapi_registration_window_seconds: int = Field(4 * 3600, ge=1)
    jsonapi_require_old_password: bool = True
    jsonapi_content_baseurl: str = ""

    @field_validator("cookie_secure", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    def resolved_jwt_secret(self) -> str:
        """The signing secret; in development a random one is kept under ``var_dir``.

        Raises ``ValueError`` outside development when the secret is empty or a placeholder.
        """
        secret = self.jwt_secret.get_secret_value()
        if secret.strip().lower() not in PLACEHOLDER_SECRETS:
            return secret
        if self.environment == "production":
            raise ValueError("PATRON_JWT_SECRET must be set to a real secret in production")
        path = self.var_dir / "jwt-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()
