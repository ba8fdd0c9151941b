"""/history: the user's last requests."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.access.profiles import language
from bot.services import services
from bot.texts.catalogue import text
from bot.texts.strengths import strength_label
from stylebot import store


def format_history(lang: str, entries: list[store.HistoryEntry]) -> str:
    if not entries:
        return text(lang, "history_empty")
    lines = [text(lang, "history_title")]
    for entry in entries:
        seconds = f" · {entry.seconds:.1f} s" if entry.seconds is not None else ""
        lines.append(
            text(
                lang,
                "history_line",
                id=entry.id,
                when=entry.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                strength=strength_label(lang, entry.strength),
                status=text(lang, f"status_{entry.status}"),
                seconds=seconds,
            )
        )
    return "\n".join(lines)


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Lists the user's last 10 requests."""
    assert update.effective_message is not None and update.effective_user is not None
    async with services(context).sessions() as session:
        entries = await store.recent_requests(session=session, user_id=update.effective_user.id)
    await update.effective_message.reply_text(format_history(language(update, context), entries))
