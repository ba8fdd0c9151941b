"""/stats for the users in ADMIN_USER_IDS."""

from __future__ import annotations

from telegram import Update

from bot.access.allowlist import is_admin
from bot.context import BotContext
from bot.texts.catalogue import text
from bot.texts.numbers import seconds as seconds_in
from stylebot import stats
from stylebot.models import utcnow


def format_stats(lang: str, figures: stats.Stats) -> str:
    def seconds(value: float | None) -> str:
        return "–" if value is None else seconds_in(lang, value)

    workers = ", ".join(figures.workers) if figures.workers else "0"
    if figures.workers:
        workers = f"{len(figures.workers)} ({workers})"
    return text(
        lang,
        "stats",
        users=figures.users,
        today=figures.requests_today,
        total=figures.requests_total,
        queued=figures.queued,
        running=figures.running,
        p50=seconds(figures.p50_seconds),
        p95=seconds(figures.p95_seconds),
        failed_today=figures.failed_today,
        failed=figures.failed_total,
        workers=workers,
    )


def format_reactions(lang: str, rates: list[stats.ReactionRate]) -> str:
    """Reactions on results by style, strength and brush, as lines under a title; "" with none."""
    if not rates:
        return ""
    lines = [text(lang, "stats_reactions_title")]
    for rate in rates:
        if rate.by == "style":
            name = rate.value or text(lang, "your_style")
        elif rate.by == "strength":
            name = text(lang, f"strength_{rate.value}")
        else:
            name = text(lang, f"brush_{rate.value}")
        lines.append(
            text(lang, "stats_reaction_line", name=name, up=rate.up, down=rate.down, total=rate.total)
        )
    return "\n".join(lines)


async def stats_command(update: Update, context: BotContext) -> None:
    """Shows the service's figures to an administrator; refuses everyone else."""
    assert update.effective_message is not None and update.effective_user is not None
    lang, found = context.language, context.services
    if not is_admin(found.settings, update.effective_user.id):
        await update.effective_message.reply_text(text(lang, "admin_only"))
        return
    async with found.sessions() as session:
        figures = await stats.service_stats(session, now=utcnow())
        rates = await stats.reaction_rates(session)
    said = format_stats(lang, figures)
    reactions = format_reactions(lang, rates)
    await update.effective_message.reply_text(f"{said}\n\n{reactions}" if reactions else said)
