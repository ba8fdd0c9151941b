"""/settings and /language: each user's default strength, output size, brush, colours and language."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.keyboards import Setting, language_keyboard, parse_language, parse_setting, settings_keyboard
from bot.presses import Press, button
from bot.replies import edit_text
from bot.texts.catalogue import language_for, text
from bot.texts.choices import brush_label, size_label, strength_named
from stylebot.users import Profile


def settings_text(lang: str, preferences: Profile) -> str:
    strength = preferences.default_strength
    return text(
        lang,
        "settings",
        strength=strength_named(lang, strength) if strength else text(lang, "ask_me_value"),
        size=size_label(lang, preferences.output_size),
        colors=text(lang, "on" if preferences.keep_colors else "off"),
        brush=brush_label(lang, preferences.default_brush),
    )


def _keyboard(lang: str, preferences: Profile) -> InlineKeyboardMarkup:
    return settings_keyboard(
        lang,
        strength=preferences.default_strength,
        size=preferences.output_size,
        keep_colors=preferences.keep_colors,
        brush=preferences.default_brush,
    )


async def settings_command(update: Update, context: BotContext) -> None:
    """Shows the user's settings with buttons to change them."""
    assert update.effective_message is not None
    lang, preferences = context.language, context.profile
    await update.effective_message.reply_text(
        settings_text(lang, preferences), reply_markup=_keyboard(lang, preferences)
    )


@button(parse_setting)
async def setting_button(update: Update, context: BotContext, press: Press[Setting]) -> None:
    """Stores the changed setting and shows the settings again."""
    lang = context.language
    preferences = await context.services.profiles.change(
        press.user_id, **{press.data.column: press.data.value}
    )
    if press.message_id is not None:
        await edit_text(
            context.bot,
            chat_id=press.chat_id,
            message_id=press.message_id,
            new_text=settings_text(lang, preferences),
            reply_markup=_keyboard(lang, preferences),
        )


async def language_command(update: Update, context: BotContext) -> None:
    """Offers the languages as buttons."""
    assert update.effective_message is not None
    lang = context.language
    await update.effective_message.reply_text(
        text(lang, "language_prompt"), reply_markup=language_keyboard(lang)
    )


@button(parse_language)
async def language_button(update: Update, context: BotContext, press: Press[str]) -> None:
    """Stores the chosen language and answers in it."""
    preferences = await context.services.profiles.change(press.user_id, language=press.data)
    lang = language_for(preferences.language, preferences.telegram_language)
    await press.query.edit_message_text(text(lang, "language_set"), reply_markup=language_keyboard(lang))
