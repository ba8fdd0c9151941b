"""Everything the bot says, in one place."""

from __future__ import annotations

STRENGTH_LABELS = {"light": "Light", "medium": "Medium", "strong": "Strong"}

TEXTS: dict[str, str] = {
    "start": (
        "Hi {name}! I turn photos into paintings.\n\n"
        "1. Send me the photo you want painted (the content).\n"
        "2. Then send the picture whose style I should copy: a painting, a texture.\n"
        "3. Pick a style strength, and I'll send the painting back.\n\n"
        "Send the content photo now."
    ),
    "help": (
        "How it works: send a content photo, then a style picture (a painting or a texture), "
        "then choose how strong the style should be. Photos can be sent as photos or as "
        "JPEG, PNG or WebP files.\n\n"
        "/start – begin a new picture\n"
        "/cancel – stop the current picture\n"
        "/history – your last 10 requests\n"
        "/help – this message"
    ),
    "got_content": "Got the photo. Now send the style picture: a painting or a texture.",
    "got_style": "Got the style. How strong should it be?",
    "expect_content": "Please send the photo you want painted (as a photo, or a JPEG, PNG or WebP file).",
    "expect_style": "Please send the style picture (a painting or a texture) as a photo or an image file.",
    "expect_strength": "Please choose a strength with the buttons above, or /cancel.",
    "already_started": "We're already under way. {expectation}",
    "idle": "Send me a photo to paint, or /start for instructions.",
    "not_an_image": "That file isn't a picture I can use. Please send a JPEG, PNG or WebP image.",
    "bad_image": "I can't use that picture: {reason}. Please send another one.",
    "too_big": "That file is larger than Telegram lets bots download (20 MB). Please send a smaller one.",
    "download_failed": "I couldn't download that picture from Telegram ({reason}). Please try again.",
    "queued": "Queued, position {position}. I'll update this message as it goes.",
    "running": "Painting… {percent}%",
    "done_status": "Done in {seconds:.0f} s.",
    "caption": "Strength: {strength} · {width}×{height} · {seconds:.1f} s",
    "note": "Note: {note}.",
    "failed": "Sorry, your picture could not be made: {reason}.",
    "cancel_button": "Cancel",
    "queue_full": (
        "You already have {limit} pictures waiting. Press a strength again when one of them is done, "
        "or /cancel."
    ),
    "not_cancellable": "This request has already finished, or it isn't yours.",
    "cancelled": "Cancelled. Send a photo whenever you want to start again.",
    "cancelled_jobs": "Cancelled your request (#{ids}). Send a photo whenever you want to start again.",
    "expired_button": "This button has expired. Send /start to begin again.",
    "strength_chosen": "Strength: {strength}.",
    "history_empty": "You have no requests yet. Send a photo to start.",
    "history_title": "Your last requests:",
    "history_line": "#{id} · {when} · {strength} · {status}{seconds}",
    "error": "Sorry, something went wrong on our side. Please try again.",
}


def text(key: str, **values: object) -> str:
    return TEXTS[key].format(**values)


def status_text(*, strength: str, status: str, position: int | None = None, progress: float = 0.0) -> str:
    """The status message of a request: strength, then its place in the queue or its progress."""
    first = text("strength_chosen", strength=STRENGTH_LABELS.get(strength, strength))
    if status == "queued":
        return f"{first}\n{text('queued', position=position)}"
    return f"{first}\n{text('running', percent=int(progress * 100) // 5 * 5)}"
