"""English: the reference catalogue. Every other language has exactly these keys and placeholders."""

TEXTS: dict[str, str] = {
    "language_name": "English",
    # Commands, as registered with setMyCommands.
    "cmd_start": "Begin a new picture",
    "cmd_cancel": "Stop the current picture",
    "cmd_settings": "Strength, size and colours",
    "cmd_language": "Change the language",
    "cmd_history": "Your last 10 pictures",
    "cmd_forget": "Delete everything I hold about you",
    "cmd_help": "How it works",
    # Numbers and units.
    "decimal_mark": ".",
    "thousands_mark": ",",
    "seconds_value": "{value} s",
    "wait_seconds": "{n} s",
    "wait_minutes": "{n} min",
    "wait_hours": "{n} h",
    "quoted": "“{label}”",
    # The conversation.
    "start": (
        "Hi {name}! I turn photos into paintings.\n\n"
        "1. Send me the photo you want painted.\n"
        "2. Then send a picture whose style I should copy (a painting, a texture), or pick one of mine.\n"
        "3. Choose how strong the style should be, and I'll send the painting back.\n\n"
        "Tip: send both at once as an album (photo first), and add a caption such as "
        '"strong" or "4" to skip the question.\n\n'
        "Send the photo now."
    ),
    "help": (
        "How it works: send a photo, then a style picture (a painting or a texture) or pick one of "
        "mine, then choose how strong the style should be. Pictures can be sent as photos or as "
        "JPEG, PNG or WebP files, one by one or together as an album (photo first). A caption "
        'such as "strong", or a number from 1 (lightest) to 5 (strongest), skips the question; '
        "you can also type the strength instead of pressing a button.\n\n"
        "Sent them the wrong way round? Press ↔ Swap. Not sure how strong? Compare strengths "
        "makes light, medium and strong side by side.\n\n"
        "Under each painting: Weaker, Stronger, Keep colours, New style, New photo, and the "
        "full-quality file.\n\n"
        "/start – begin a new picture\n"
        "/cancel – stop the current picture\n"
        "/settings – default strength, size and colours\n"
        "/language – change the language\n"
        "/history – your last 10 pictures\n"
        "/forget – delete everything I hold about you\n"
        "/help – this message"
    ),
    "got_content": "Got the photo. Now send the style picture (a painting or a texture).",
    "or_pick": "Or pick one of these:",
    "got_style": "Got the style. How strong should it be?",
    "got_both": (
        "Got both pictures: the first is the photo, the second the style. How strong should the style be?"
    ),
    "got_photo_same_style": "Got the photo. How strong should the style be?",
    "album_extra": "I use the first two pictures of an album: the photo, then the style.",
    "send_own_button": "📎 Send my own",
    "send_own_hint": "Send the style picture as a photo or an image file.",
    "recent_style_button": "↺ Your style {n}",
    "recent_styles_caption": "Your recent styles, numbered as on the buttons.",
    "style_gone": "That style is no longer available. Please pick another one or send your own.",
    "expect_content": "Please send the photo you want painted (as a photo, or a JPEG, PNG or WebP file).",
    "expect_style": "Please send the style picture (a painting or a texture) as a photo or an image file.",
    "expect_strength": (
        "Please choose a strength with the buttons above, or type it: light, medium, strong, or a "
        "number from 1 to 5."
    ),
    "idle": "Send me a photo to paint, or /start for instructions.",
    "which_picture": "Is this a new photo to paint, or a new style?",
    "replace_content_button": "📷 The photo",
    "replace_style_button": "🎨 The style",
    "replaced_content": "Got the new photo. How strong should the style be?",
    "replaced_style": "Got the new style. How strong should it be?",
    "swap_button": "↔ Swap",
    "swapped": (
        "Swapped: the first picture is now the style, the second the photo. How strong should the style be?"
    ),
    "compare_button": "Compare strengths",
    "already_on_it": "Already on it.",
    "question_closed": "That question is closed. Send a photo to start a new picture.",
    "expired_button": "This button has expired. Send a photo, or /start, to begin a new picture.",
    "new_style_prompt": "Send a new style picture for the same photo, or pick one.",
    "new_photo_prompt": "Send a new photo to paint in the same style.",
    # Pictures that cannot be used.
    "not_an_image": "That file isn't a picture I can use. Please send a JPEG, PNG or WebP image.",
    "picture_refused": "I can't use that picture: {reason}.",
    "image_empty": "the file is empty",
    "image_unreadable": "this file is not a picture I can read (JPEG, PNG or WebP)",
    "image_too_large": "it is too large ({width}×{height}); please send a smaller one",
    "image_too_small": "it is too small ({width}×{height}); it needs at least {min_side} px a side",
    "image_too_narrow": "it is too narrow ({width}×{height})",
    "image_damaged": "it is damaged or incomplete; please send it again",
    "image_huge": "it declares far more pixels than any camera makes",
    "first_frame": "That picture is animated: I'll use its first frame.",
    "too_big": "That file is larger than Telegram lets bots download (20 MB). Please send a smaller one.",
    "download_failed": "I couldn't download that picture from Telegram ({reason}). Please try again.",
    # The status message.
    "strength_chosen": "Strength: {strength}",
    "compare_chosen": "Light, medium and strong, side by side",
    "queue_position": "Queued, position {position}.",
    "queue_within": "Queued, within the first {within}.",
    "queue_wait": "{place} About {wait} to wait.",
    "painting_progress": "Painting… {percent}%",
    "status_cancelled_line": "Cancelled.",
    "status_done_line": "Done.",
    "cancel_button": "Cancel",
    # The result.
    "your_style": "Your style",
    "colors_kept": "colours kept",
    "note": "Note: {note}.",
    "note_smaller_for_memory": "it was made smaller to fit the engine's memory",
    "compare_done": "{style} at three strengths. Tap one to make it your default strength, or get its file:",
    "weaker_button": "➖ Weaker",
    "stronger_button": "➕ Stronger",
    "colors_button": "🎨 Keep colours",
    "colors_on_button": "🎨 Keep colours: on",
    "colors_off_button": "🎨 Keep colours: off",
    "new_style_button": "🖼 New style",
    "new_photo_button": "📷 New photo",
    "file_button": "📄 Full-quality file",
    "file_caption": "Full quality, {width}×{height}.",
    "failure_message": "Sorry, your picture could not be made: {reason}.",
    "failure_bad_image": "the engine could not read one of the pictures; please send another one",
    "failure_too_large": "the picture is larger than the engine accepts; please send a smaller one",
    "failure_engine": "our engine failed on it. The fault is ours, not your picture's; please try again",
    "failure_out_of_memory": "the engine ran out of memory on this picture; please try a smaller one",
    "failure_lost_worker": (
        "our engine stopped while painting it, more than once. The fault is ours, not your picture's; "
        "please try again later"
    ),
    "failure_pictures_deleted": "its pictures were deleted before it could be made",
    "failure_time_limit": "it took longer than the engine's time limit; please try a smaller picture",
    "failure_unknown": "something went wrong on our side; please try again",
    # What the bot will not do, and why.
    "refused_already_queued": "Already on it: that picture is already waiting or being painted.",
    "refused_already_lightest": "This is already the lightest strength.",
    "refused_already_strongest": "This is already the strongest strength.",
    "refused_deleted": (
        "This picture was deleted, so its buttons no longer work. Send a photo to make a new one."
    ),
    "refused_not_yours": "This button belongs to someone else's picture.",
    "refused_pictures_gone": "The pictures of this request are no longer stored. Please send them again.",
    "refused_queue_full": (
        "You already have {limit} pictures waiting. When one of them is done, press {action} again, "
        "or /cancel."
    ),
    "refused_quota_reached": (
        "You have made {quota} pictures today, the daily limit. It resets at midnight UTC, "
        "in {hours} h {minutes} min."
    ),
    "pressed_strength": "a strength",
    "not_allowed": (
        "Sorry, this bot is private. Your Telegram user id is {user_id}: ask the bot's owner to add it."
    ),
    "admin_only": "This command is for the bot's administrators.",
    "not_cancellable": "This picture is already finished, so there is nothing to cancel.",
    "cancelled_notice": "Cancelled. Send a photo whenever you want to start again.",
    "nothing_to_cancel": "There was nothing to cancel. Send a photo whenever you want to start.",
    # Strengths: on buttons, and after "Strength:".
    "strength_lightest": "Lightest",
    "strength_light": "Light",
    "strength_medium": "Medium",
    "strength_strong": "Strong",
    "strength_strongest": "Strongest",
    "strength_as_lightest": "lightest",
    "strength_as_light": "light",
    "strength_as_medium": "medium",
    "strength_as_strong": "strong",
    "strength_as_strongest": "strongest",
    # The built-in styles (bot/gallery/artwork.py).
    "style_swirling_strokes": "Swirling strokes",
    "style_stained_glass": "Stained glass",
    "style_pointillism": "Pointillism",
    "style_ink_wash": "Ink wash",
    "style_mosaic": "Mosaic",
    "style_cubist_shards": "Cubist shards",
    "style_watercolour": "Watercolour",
    "style_pencil_hatching": "Pencil hatching",
    "style_wave_pattern": "Wave pattern",
    "style_neon": "Neon",
    "style_pop_art_dots": "Pop-art dots",
    "style_woodcut": "Woodcut",
    # /settings, /language, /history, /stats, /forget.
    "settings": (
        "Your settings, used from your next picture on:\n"
        "Strength: {strength}\n"
        "Size: {size}\n"
        "Keep the photo's colours: {colors}\n\n"
        "Change them with the buttons."
    ),
    "ask_me": "Ask me",
    "size_standard": "Standard",
    "size_large": "Large",
    "on": "on",
    "off": "off",
    "language_prompt": "Choose your language:",
    "language_set": "I'll speak English from now on.",
    "history_empty": "You have no pictures yet. Send a photo to start.",
    "history_title": "Your last pictures:",
    "history_line": "#{id} · {when} · {style} · {strength} · {status}{details}",
    "status_queued": "queued",
    "status_running": "painting",
    "status_done": "done",
    "status_failed": "failed",
    "status_cancelled": "cancelled",
    "stats": (
        "Users: {users}\n"
        "Requests today: {today}, in total: {total}\n"
        "Queue: {queued} waiting, {running} running\n"
        "Job seconds (last 24 h): median {p50}, 95th percentile {p95}\n"
        "Failures today: {failed_today}, in total: {failed}\n"
        "Workers seen in the last minute: {workers}"
    ),
    "private_only": "I only work in private chats. Open a chat with me: @{username}",
    "forget_prompt": (
        "This deletes everything I hold about you: your pictures, results, history and settings, "
        "and stops any picture in progress. It cannot be undone."
    ),
    "forget_yes": "🗑 Delete everything",
    "forget_no": "Keep my data",
    "forgotten": (
        "Done: everything I held about you is deleted. Send a photo whenever you want to start afresh."
    ),
    "not_forgotten": "Nothing was deleted.",
    "busy": "I'm overloaded for a moment and couldn't take that. Please try again in a minute.",
    "internal_error": "Sorry, something went wrong on my side. Please try again.",
}
