"""/history: the user's last paintings as one numbered contact sheet, with a button per painting to
get it again (and the sizes and seconds that captions leave out)."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot import gallery
from bot.context import BotContext
from bot.keyboards import history_keyboard
from bot.texts.catalogue import text
from bot.texts.choices import request_style_name, strength_named
from bot.texts.numbers import seconds
from stylebot import history
from stylebot.history import HistoryEntry

CAPTION_LIMIT = 1024  # Telegram's, for a photo's caption


def history_line(lang: str, number: int, entry: HistoryEntry) -> str:
    details = ""
    if entry.output_width and entry.output_height:
        details += f" · {entry.output_width}×{entry.output_height}"
    if entry.seconds is not None:
        details += f" · {seconds(lang, entry.seconds)}"
    strength = text(lang, "compare_named") if entry.compare else strength_named(lang, entry.strength)
    return text(
        lang,
        "history_line",
        id=number,
        when=entry.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        style=request_style_name(lang, entry.style_name, entry.style_file_id),
        strength=strength,
        status=text(lang, f"status_{entry.status}"),
        details=details,
    )


def format_history(lang: str, entries: list[HistoryEntry]) -> str:
    if not entries:
        return text(lang, "history_empty")
    lines = [text(lang, "history_title")]
    lines += [history_line(lang, entry.id, entry) for entry in entries]
    return "\n".join(lines)


def sheet_caption(lang: str, entries: list[HistoryEntry]) -> str:
    lines = [text(lang, "history_sheet_title")]
    lines += [history_line(lang, n, entry) for n, entry in enumerate(entries, start=1)]
    said = "\n".join(lines)
    return said if len(said) <= CAPTION_LIMIT else said[: CAPTION_LIMIT - 1] + "…"


async def history_command(update: Update, context: BotContext) -> None:
    """Shows the user's last paintings as a numbered contact sheet (or, with none kept, as lines)."""
    assert update.effective_message is not None and update.effective_user is not None
    lang = context.language
    async with context.services.sessions() as session:
        paintings = await history.recent_paintings(session=session, user_id=update.effective_user.id)
        entries = (
            []
            if paintings
            else await history.recent_requests(session=session, user_id=update.effective_user.id)
        )
    if not paintings:
        await update.effective_message.reply_text(format_history(lang, entries))
        return
    labels = [str(n) for n in range(1, len(paintings) + 1)]
    sheet = await asyncio.to_thread(gallery.grid, [image for _, image in paintings], labels=labels)
    await update.effective_message.reply_photo(
        sheet,
        caption=sheet_caption(lang, [entry for entry, _ in paintings]),
        reply_markup=history_keyboard([entry.id for entry, _ in paintings]),
    )
