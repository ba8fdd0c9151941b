"""/settings and /language: each user's default strength, output size, colours and language."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.access.profiles import language, profile
from bot.keyboards import language_keyboard, parse_language, parse_setting, settings_keyboard
from bot.replies import edit_text
from bot.services import services
from bot.texts.catalogue import language_for, text
from bot.texts.choices import size_label, strength_label
from stylebot.users import Profile


def settings_text(lang: str, preferences: Profile) -> str:
    strength = preferences.default_strength
    return text(
        lang,
        "settings",
        strength=strength_label(lang, strength) if strength else text(lang, "ask_me"),
        size=size_label(lang, preferences.output_size),
        colors=text(lang, "on" if preferences.keep_colors else "off"),
    )


def _keyboard(lang: str, preferences: Profile) -> InlineKeyboardMarkup:
    return settings_keyboard(
        lang,
        strength=preferences.default_strength,
        size=preferences.output_size,
        keep_colors=preferences.keep_colors,
    )


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the user's settings with buttons to change them."""
    assert update.effective_message is not None
    lang, preferences = language(update, context), profile(update, context)
    await update.effective_message.reply_text(
        settings_text(lang, preferences), reply_markup=_keyboard(lang, preferences)
    )


async def setting_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stores the changed setting and shows the settings again."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang = language(update, context)
    setting = parse_setting(query.data)
    if setting is None:
        await query.answer(text(lang, "expired_button"))
        return
    await query.answer()
    preferences = await services(context).profiles.change(
        update.effective_user.id, **{setting.column: setting.value}
    )
    if query.message is not None:
        await edit_text(
            context.bot,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            new_text=settings_text(lang, preferences),
            reply_markup=_keyboard(lang, preferences),
        )


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offers the languages as buttons."""
    assert update.effective_message is not None
    lang = language(update, context)
    await update.effective_message.reply_text(
        text(lang, "language_prompt"), reply_markup=language_keyboard(lang)
    )


async def language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stores the chosen language and answers in it."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    chosen = parse_language(query.data)
    if chosen is None:
        await query.answer(text(language(update, context), "expired_button"))
        return
    await query.answer()
    preferences = await services(context).profiles.change(update.effective_user.id, language=chosen)
    lang = language_for(preferences.language, preferences.telegram_language)
    await query.edit_message_text(text(lang, "language_set"), reply_markup=language_keyboard(lang))
