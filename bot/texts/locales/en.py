"""English: the reference catalogue. Every other language has exactly these keys and placeholders."""

TEXTS: dict[str, str] = {
    "language_name": "English",
    # Commands, as registered with setMyCommands.
    "cmd_start": "Start a new painting",
    "cmd_cancel": "Stop the current painting",
    "cmd_settings": "Default strength, size and colours",
    "cmd_language": "Change the language",
    "cmd_history": "Your last 10 paintings",
    "cmd_forget": "Delete everything I keep about you",
    "cmd_help": "How it works",
    # The screen before /start: setMyDescription (up to 512 characters) and setMyShortDescription
    # (up to 120; also the bot's profile and shared links).
    "bot_description": (
        "I turn your photos into paintings.\n\n"
        "Send me a photo, then a style picture (a painting, a drawing or a texture) or pick one of my "
        "styles, and choose how strong the style should be: I'll paint your photo in that style. "
        "Photos and JPEG, PNG, WebP, HEIC or AVIF files are welcome.\n\n"
        "Press the button below to begin."
    ),
    "bot_short_description": (
        "I paint your photos in the style of any picture you choose: a painting, a drawing or a texture."
    ),
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
        "2. Then send a style picture (a painting or a texture whose style I'll copy), or pick one of mine.\n"
        "3. Choose how strong the style should be, and I'll send you the painting.\n\n"
        "Tip: send both at once as an album (photo first) with a caption such as “strong” or “4”, "
        "and I won't need to ask.\n\n"
        "Send the photo now."
    ),
    "help": (
        "How it works: send a photo, then a style picture (a painting or a texture) or pick one of "
        "mine, then choose how strong the style should be. You can send pictures as photos or as "
        "JPEG, PNG, WebP, HEIC (an iPhone's originals) or AVIF files, one at a time or together as an "
        "album (photo first). A caption such as “strong”, or a number from 1 (lightest) to 5 "
        "(strongest), skips the question; you can also type the strength instead of pressing a "
        "button (“light please”, “very strong”).\n\n"
        "Sent them the wrong way round? Press “↔ Swap”, or type “swap”. Not sure how strong? "
        "“Compare strengths” paints light, medium and strong side by side.\n\n"
        "Under each painting: Weaker, Stronger, Keep colours, New style, New photo, and the "
        "full-quality file.\n\n"
        "/start – start a new painting\n"
        "/cancel – stop the current painting\n"
        "/settings – default strength, size and colours\n"
        "/language – change the language\n"
        "/history – your last 10 paintings\n"
        "/forget – delete everything I keep about you\n"
        "/help – this message"
    ),
    "got_content": "Got the photo. Now send the style picture (a painting or a texture).",
    "or_pick": "Or pick one of mine, numbered as in the picture:",
    "got_style": "Got the style. How strong should it be?",
    "got_both": (
        "Got both pictures: the first is the photo, the second the style. How strong should the style be?"
    ),
    "got_photo_same_style": "Got the photo. How strong should the style be?",
    "album_extra": "I only use the first two pictures of an album: the photo, then the style picture.",
    "send_own_button": "📎 Send my own",
    "send_own_hint": "Send the style picture as a photo or an image file.",
    "recent_style_button": "↺ Your style {n}",
    "recent_styles_caption": "Style pictures you sent recently, numbered as on the buttons.",
    "style_gone": "That style is no longer available. Please pick another one or send your own.",
    "expect_content": (
        "Please send the photo you want painted, as a photo or as a JPEG, PNG, WebP, HEIC or AVIF file."
    ),
    "expect_style": (
        "Please send the style picture (a painting or a texture) as a photo or an image file, "
        "or pick one of mine above."
    ),
    "expect_strength": (
        "Please choose a strength with the buttons above, or type it: light, medium, strong, or a "
        "number from 1 to 5."
    ),
    # Typed at the strength question: what only /settings or /cancel does.
    "typed_size": (
        "The size (Standard or Large) is in /settings: change it there if you like, then choose the "
        "strength above."
    ),
    "typed_colors": (
        "Keeping the photo's colours is in /settings: switch it on there if you like, then choose the "
        "strength above."
    ),
    "typed_cancel": "To drop these pictures, send /cancel. To go on, choose the strength above.",
    "idle": "Send me a photo to paint, or /start for instructions.",
    "which_picture": "Is this a new photo to paint, or a new style picture?",
    "replace_content_button": "📷 New photo",
    "replace_style_button": "🎨 New style",
    "replaced_content": "Got the new photo. How strong should the style be?",
    "replaced_style": "Got the new style. How strong should it be?",
    "swap_button": "↔ Swap",
    "swapped": (
        "Swapped: the first picture is now the style, the second the photo. How strong should the style be?"
    ),
    "compare_button": "Compare strengths",
    "already_on_it": "Already on it.",
    "question_closed": "That question is no longer open. Send a photo to start a new painting.",
    "expired_button": "This button no longer works. Send a photo (or /start) to begin a new painting.",
    "new_style_prompt": "Send a new style picture for the same photo.",
    "new_photo_prompt": "Send a new photo to paint in the same style.",
    # Pictures that cannot be used.
    "not_an_image": "That file isn't a picture I can use. Please send a JPEG, PNG, WebP, HEIC or AVIF image.",
    "picture_refused": "I can't use that picture: {reason}.",
    "image_empty": "the file is empty",
    "image_unreadable": "it is not a picture I can read (JPEG, PNG, WebP, HEIC or AVIF)",
    "image_too_large": "it is too large ({width}×{height}); please send a smaller one",
    "image_too_small": "it is too small ({width}×{height}); it needs at least {min_side} px on each side",
    "image_too_narrow": "it is too long and thin ({width}×{height})",
    "image_damaged": "it is damaged or incomplete; please send it again",
    "image_huge": "its file claims far more pixels than any camera takes",
    "first_frame": "That picture is animated: I'll use its first frame.",
    "too_big": "That file is larger than Telegram lets bots download (20 MB). Please send a smaller one.",
    "download_failed": "I couldn't download that picture from Telegram. Please send it again.",
    # The status message.
    "strength_chosen": "Strength: {strength}",
    "compare_chosen": "Light, medium and strong, side by side",
    "queue_position": "Queued, position {position}.",
    "queue_within": "Queued, within the first {within}.",
    "queue_wait": "{place} About {wait} to wait.",
    "painting_progress": "Painting… {percent}%",
    "painting_left": "Painting… {percent}%, about {wait} left.",
    "preview_note": "The painting so far; the finished one comes as a new message.",
    "status_cancelled_line": "Cancelled.",
    "status_done_line": "Done.",
    "cancel_button": "Cancel",
    # The result.
    "your_style": "Your style",
    "colors_kept": "colours kept",
    "note": "Note: {note}.",
    "note_smaller_for_memory": "it was made smaller than usual to fit in memory",
    "compare_done": "{style} at three strengths. Pick the one you like to carry on from it:",
    "weaker_button": "➖ Weaker",
    "stronger_button": "➕ Stronger",
    "colors_button": "🎨 Keep colours",
    "colors_on_button": "🎨 Keep colours: on",
    "colors_off_button": "🎨 Keep colours: off",
    "new_style_button": "🖼 New style",
    "new_photo_button": "📷 New photo",
    "file_button": "📄 Full-quality file",
    "file_caption": "Full quality, {width}×{height}.",
    "failure_message": "Sorry, the painting failed: {reason}.",
    "failure_bad_image": "I couldn't read one of the pictures; please send another one",
    "failure_too_large": "the picture is larger than I can handle; please send a smaller one",
    "failure_engine": "something broke on my side, not in your picture; please try again",
    "failure_out_of_memory": "I ran out of memory on this picture; please try a smaller one",
    "failure_lost_worker": (
        "it was interrupted more than once by a fault on my side, not in your picture; please try again later"
    ),
    "failure_pictures_deleted": "its pictures were deleted before I could paint it",
    "failure_time_limit": "it took longer than my time limit allows; please try a smaller picture",
    "failure_unknown": "something went wrong on my side; please try again",
    # What the bot will not do, and why.
    "refused_already_queued": "Already on it: that painting is already waiting or being painted.",
    "refused_already_lightest": "This is already the lightest.",
    "refused_already_strongest": "This is already the strongest.",
    "refused_deleted": (
        "This painting was deleted, so its buttons no longer work. Send a photo to make a new one."
    ),
    "refused_not_yours": "This button belongs to someone else's painting.",
    "refused_pictures_gone": "I no longer keep the pictures of this painting. Please send them again.",
    "refused_queue_full": (
        "You already have as many paintings waiting as I allow ({limit}). When one of them is done, "
        "press {action} again, or /cancel them."
    ),
    "refused_quota_reached": (
        "You have reached today's limit ({quota} a day). It resets at midnight UTC, "
        "in {hours} h {minutes} min."
    ),
    "pressed_strength": "a strength button",
    "not_allowed": (
        "Sorry, this bot is private. Your Telegram user id is {user_id}: ask the bot's owner to add it."
    ),
    "admin_only": "This command is for the bot's administrators.",
    "not_cancellable": "This painting is already finished, so there is nothing to cancel.",
    "cancelled_notice": "Cancelled. Send a photo whenever you want to start again.",
    "nothing_to_cancel": "Nothing to cancel. Send a photo whenever you want to start.",
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
        "Your settings, used from your next painting on:\n"
        "Strength: {strength}\n"
        "Size: {size}\n"
        "Brush strokes: {brush}\n"
        "Keep the photo's colours: {colors}\n\n"
        "Change them with the buttons."
    ),
    "ask_me": "Ask me",
    "ask_me_value": "ask me each time",
    "compare_named": "three strengths",
    "size_standard": "Standard",
    "size_large": "Large",
    "on": "on",
    "off": "off",
    "language_prompt": "Choose your language:",
    "language_set": "I'll speak English from now on.",
    "history_empty": "You have no paintings yet. Send a photo to start.",
    "history_title": "Your last paintings:",
    "history_line": "#{id} · {when} · {style} · {strength} · {status}{details}",
    "status_queued": "waiting",
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
        "This deletes everything I keep about you: your pictures, paintings, history and settings, "
        "and stops any painting in progress. It cannot be undone."
    ),
    "forget_yes": "🗑 Delete everything",
    "forget_no": "Keep my data",
    "forgotten": (
        "Done: everything I kept about you is deleted. Send a photo whenever you want to start afresh."
    ),
    "not_forgotten": "Nothing was deleted.",
    "busy": "I'm overloaded for a moment and couldn't take that. Please try again in a minute.",
    "internal_error": "Sorry, something went wrong on my side. Please try again.",
    "painting_forgotten": "This painting was deleted, with everything else I held about you.",
    # Results that lead somewhere, the brush, sharing and reactions.
    "compare_picked": (
        "{style} · strength: {strength} — your pick. Its buttons are below; tap another strength to switch."
    ),
    "finer_button": "🖌 Finer strokes",
    "coarser_button": "🖌 Bigger strokes",
    "bigger_button": "🔍 Larger picture",
    "share_button": "↗️ Share",
    "show_gallery_button": "🖼 Show the gallery",
    "gallery_caption": "My styles, numbered as on the buttons.",
    "or_pick_shown": "Or pick one of mine, numbered as in the gallery picture (🖼 shows it again):",
    "brush_fine": "Fine",
    "brush_medium": "Medium",
    "brush_coarse": "Coarse",
    "brush_caption_fine": "fine strokes",
    "brush_caption_coarse": "bigger strokes",
    "size_caption_large": "large",
    "refused_already_finest": "These are already the finest strokes.",
    "refused_already_coarsest": "These are already the biggest strokes.",
    "refused_already_large": "This is already the large size.",
    "file_caption_same_size": (
        "Full quality, {width}×{height}: the same pixels as the photo above, "
        "without Telegram's recompression. For more pixels, tap Larger picture."
    ),
    "already_here": "You already have this one: here it is ↑",
    "history_sheet_title": "Your last paintings. Tap a number to get one again:",
    "stats_reactions_title": "Reactions (👍 · 👎 · all), by style, strength and brush:",
    "stats_reaction_line": "{name}: {up} · {down} · {total}",
}
