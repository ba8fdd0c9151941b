"""/history: the user's last pictures, with the sizes and seconds that captions leave out."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.texts.catalogue import text
from bot.texts.choices import request_style_name, strength_named
from bot.texts.numbers import seconds
from stylebot import history
from stylebot.history import HistoryEntry


def format_history(lang: str, entries: list[HistoryEntry]) -> str:
    if not entries:
        return text(lang, "history_empty")
    lines = [text(lang, "history_title")]
    for entry in entries:
        details = ""
        if entry.output_width and entry.output_height:
            details += f" · {entry.output_width}×{entry.output_height}"
        if entry.seconds is not None:
            details += f" · {seconds(lang, entry.seconds)}"
        strength = text(lang, "compare_named") if entry.compare else strength_named(lang, entry.strength)
        lines.append(
            text(
                lang,
                "history_line",
                id=entry.id,
                when=entry.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                style=request_style_name(lang, entry.style_name, entry.style_file_id),
                strength=strength,
                status=text(lang, f"status_{entry.status}"),
                details=details,
            )
        )
    return "\n".join(lines)


async def history_command(update: Update, context: BotContext) -> None:
    """Lists the user's last 10 pictures."""
    assert update.effective_message is not None and update.effective_user is not None
    async with context.services.sessions() as session:
        entries = await history.recent_requests(session=session, user_id=update.effective_user.id)
    await update.effective_message.reply_text(format_history(context.language, entries))
