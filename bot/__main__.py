"""`python -m bot`: checks the settings, migrates the database, and runs the bot (webhook or polling)
until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import secrets
import sys

from pydantic import ValidationError

from stylebot.settings import Settings, describe_errors

EXIT_CONFIG = 2

NO_TOKEN = """\
stylebot needs a Telegram bot token, and TELEGRAM_BOT_TOKEN is not set.

How to get one:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a name and a username for your bot; BotFather answers with a token
     that looks like 123456789:AAE...
  3. Put it in a file named .env in this folder (copy .env.example to start):
       TELEGRAM_BOT_TOKEN=123456789:AAE...
     or export it in the environment. Then run `make run` again.
"""


def load_settings() -> Settings | None:
    """The settings, or None after printing what is wrong (never the values: they may be secret)."""
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_errors(exc), file=sys.stderr)
        return None
    if settings.telegram_bot_token is None:
        print(NO_TOKEN, file=sys.stderr, end="")
        return None
    return settings


def main() -> int:
    settings = load_settings()
    if settings is None:
        return EXIT_CONFIG
    from bot.app import build_application
    from bot.runtime.service import serve
    from stylebot.logs import configure_logging
    from stylebot.migrate import upgrade_to_head

    assert settings.telegram_bot_token is not None
    secret = webhook_secret(settings)
    configure_logging(settings.log_level, secrets=[settings.telegram_bot_token.get_secret_value(), secret])
    upgrade_to_head(settings.database_url)  # the only place the schema is migrated on `make run`
    asyncio.run(serve(build_application(settings), webhook_secret=secret))
    return 0


def webhook_secret(settings: Settings) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or a new random one: setWebhook hands it to Telegram at each start."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    return secrets.token_urlsafe(32)


if __name__ == "__main__":
    sys.exit(main())
