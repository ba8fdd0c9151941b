"""/settings and /language: each user's default strength, output size, colours and language."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.keyboards import language_keyboard, parse_language, parse_setting, settings_keyboard
from bot.messages import edit_text
from bot.services import services
from bot.texts import language_for, strength_label, text
from bot.users import lang, profile
from stylebot import store


def settings_text(language: str, preferences: store.Profile) -> str:
    strength = preferences.default_strength
    return text(
        language,
        "settings",
        strength=strength_label(language, strength) if strength else text(language, "ask_me"),
        size=text(language, f"size_{preferences.output_size}"),
        colors=text(language, "on" if preferences.keep_colors else "off"),
    )


def _keyboard(language: str, preferences: store.Profile) -> InlineKeyboardMarkup:
    return settings_keyboard(
        language,
        strength=preferences.default_strength,
        size=preferences.output_size,
        keep_colors=preferences.keep_colors,
    )


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Shows the user's settings with buttons to change them."""
    assert update.effective_message is not None
    language, preferences = lang(update, context), profile(update, context)
    await update.effective_message.reply_text(
        settings_text(language, preferences), reply_markup=_keyboard(language, preferences)
    )


async def setting_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stores the changed setting and shows the settings again."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    language = lang(update, context)
    setting = parse_setting(query.data)
    if setting is None:
        await query.answer(text(language, "expired_button"))
        return
    choices: dict[str, dict[str, object]] = {
        "strength": {"default_strength": None if setting.value == "ask" else setting.value},
        "size": {"output_size": setting.value},
        "colors": {"keep_colors": setting.value == "on"},
    }
    values = choices[setting.name]
    found = services(context)
    async with found.sessions.begin() as session:
        preferences = await store.set_preferences(session=session, user_id=update.effective_user.id, **values)
    found.remember(update.effective_user.id, preferences)
    await query.answer()
    if query.message is not None:
        await edit_text(
            context.bot,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            new_text=settings_text(language, preferences),
            reply_markup=_keyboard(language, preferences),
        )


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offers the languages as buttons."""
    assert update.effective_message is not None
    language = lang(update, context)
    await update.effective_message.reply_text(
        text(language, "language_prompt"), reply_markup=language_keyboard(language)
    )


async def language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stores the chosen language and answers in it."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    chosen = parse_language(query.data)
    if chosen is None:
        await query.answer(text(lang(update, context), "expired_button"))
        return
    found = services(context)
    async with found.sessions.begin() as session:
        preferences = await store.set_preferences(
            session=session, user_id=update.effective_user.id, language=chosen
        )
    found.remember(update.effective_user.id, preferences)
    language = language_for(preferences.language, preferences.telegram_language)
    await query.answer()
    await query.edit_message_text(text(language, "language_set"), reply_markup=language_keyboard(language))
