"""中文（繁體）：給台灣、香港、澳門的使用者（Telegram 語言代碼 zh-hant、zh-tw、zh-hk、zh-mo）。

照台灣與香港的用法來寫，不是從簡體逐字轉換：檔案、預設、設定、記憶體、相簿、使用者、訊息；
引號用「」。機器人以「我」自稱，稱使用者為「你」。
"""

TEXTS: dict[str, str] = {
    "language_name": "繁體中文",
    "cmd_start": "畫一幅新的畫",
    "cmd_cancel": "取消目前的畫",
    "cmd_settings": "預設強度、尺寸和顏色",
    "cmd_language": "變更語言",
    "cmd_history": "最近 10 幅畫",
    "cmd_forget": "刪除我保存的你所有資料",
    "cmd_help": "使用說明",
    "bot_description": (
        "我能把你的照片變成一幅畫。\n\n"
        "先傳一張照片，再傳一張風格圖片（畫作、素描或紋理），或從我的風格中挑一個，"
        "接著選擇風格強度，我就會照著這個風格把你的照片畫出來。"
        "可以直接傳照片，也可以傳 JPEG、PNG、WebP、HEIC 或 AVIF 檔案。\n\n"
        "點選下方按鈕開始。"
    ),
    "bot_short_description": "照著任何一張圖片的風格來畫你的照片：畫作、素描或紋理都可以。",
    "decimal_mark": ".",
    "thousands_mark": ",",
    "seconds_value": "{value} 秒",
    "wait_seconds": "{n} 秒",
    "wait_minutes": "{n} 分鐘",
    "wait_hours": "{n} 小時",
    "quoted": "「{label}」",
    "start": (
        "嗨，{name}！我可以把照片變成一幅畫。\n\n"
        "1. 傳送你想畫的照片。\n"
        "2. 再傳送一張風格圖片（一幅畫或一種紋理），我會照著它的風格來畫；"
        "也可以從我的風格中挑一個。\n"
        "3. 選擇風格強度，我就會把畫傳給你。\n\n"
        "小提示：也可以把兩張圖當成相簿一起傳送（照片放第一張），"
        "並在說明文字寫上「強」或「4」，這樣就不用再選強度了。\n\n"
        "現在請傳送照片。"
    ),
    "help": (
        "使用方式：先傳送照片，再傳送風格圖片（畫作或紋理），或從我的風格中挑一個，"
        "然後選擇風格強度。圖片可以用照片傳送，也可以用 JPEG、PNG、WebP、HEIC（iPhone 原始檔）"
        "或 AVIF 檔案傳送；可以一張一張傳，也可以當成相簿一起傳（照片放第一張）。"
        "在說明文字寫上「強」，或 1（最弱）到 5（最強）的數字，就不必再選強度；"
        "也可以直接打字回覆強度（例如「輕一點」、「很強」），不用按按鈕。\n\n"
        "照片和風格傳反了？按「↔ 交換」，或直接打「交換」。不確定要多強？"
        "「比較強度」會把弱、中、強三種並排畫出來。\n\n"
        "每幅畫下方都有按鈕：更弱、更強、保留顏色、換風格、換照片，以及原始畫質檔案。\n\n"
        "/start – 畫一幅新的畫\n"
        "/cancel – 取消目前的畫\n"
        "/settings – 預設強度、尺寸和顏色\n"
        "/language – 變更語言\n"
        "/history – 最近 10 幅畫\n"
        "/forget – 刪除我保存的你所有資料\n"
        "/help – 本說明"
    ),
    "got_content": "收到照片了。現在請傳送風格圖片（一幅畫或一種紋理）。",
    "or_pick": "或是從我的風格中挑一個（編號和圖上一致）：",
    "got_style": "收到風格了。風格要多強？",
    "got_both": "兩張圖都收到了：第一張是照片，第二張是風格。風格要多強？",
    "got_photo_same_style": "收到照片了。風格要多強？",
    "album_extra": "相簿裡我只會用前兩張：第一張是照片，第二張是風格。",
    "send_own_button": "📎 用我自己的",
    "send_own_hint": "請把風格圖片用照片或圖片檔案傳給我。",
    "recent_style_button": "↺ 你的風格 {n}",
    "recent_styles_caption": "你最近傳過的風格圖片，編號和按鈕一致。",
    "style_gone": "這個風格已經沒有了。請另外挑一個，或傳送你自己的。",
    "expect_content": "請傳送你想畫的照片（用照片，或 JPEG、PNG、WebP、HEIC、AVIF 檔案）。",
    "expect_style": "請傳送風格圖片（畫作或紋理），用照片或圖片檔案都可以；也可以在上方挑一個我的風格。",
    "expect_strength": "請用上方的按鈕選擇強度，或直接輸入：弱、中、強，或 1 到 5 的數字。",
    "typed_size": "尺寸（標準或大）要在 /settings 裡設定。需要的話先去更改，再用上方的按鈕選擇強度。",
    "typed_colors": "保留照片原色要在 /settings 裡設定。需要的話先去更改，再用上方的按鈕選擇強度。",
    "typed_cancel": "想放棄這兩張圖，請傳送 /cancel；想繼續，請用上方的按鈕選擇強度。",
    "idle": "傳一張照片給我，我就把它畫成畫。傳送 /start 查看說明。",
    "which_picture": "這張是新的照片，還是新的風格？",
    "replace_content_button": "📷 新照片",
    "replace_style_button": "🎨 新風格",
    "replaced_content": "收到新照片了。風格要多強？",
    "replaced_style": "收到新風格了。風格要多強？",
    "swap_button": "↔ 交換",
    "swapped": "已對調：現在第一張是風格，第二張是照片。風格要多強？",
    "compare_button": "比較強度",
    "already_on_it": "已經在畫了。",
    "question_closed": "這個問題已經結束了。傳送照片就能開始畫新的一幅。",
    "expired_button": "這個按鈕已經失效。傳送照片或 /start 就能開始畫新的一幅。",
    "new_style_prompt": "請為這張照片傳送新的風格圖片。",
    "new_photo_prompt": "請傳送一張新照片，我會用同樣的風格來畫。",
    "not_an_image": "這個檔案不是我能用的圖片。請傳送 JPEG、PNG、WebP、HEIC 或 AVIF 圖片。",
    "picture_refused": "這張圖片我沒辦法用：{reason}。",
    "image_empty": "檔案是空的",
    "image_unreadable": "我讀不了這個檔案（支援 JPEG、PNG、WebP、HEIC 和 AVIF）",
    "image_too_large": "尺寸太大（{width}×{height}），請傳送小一點的",
    "image_too_small": "尺寸太小（{width}×{height}），每邊至少要 {min_side} 像素",
    "image_too_narrow": "形狀太細長（{width}×{height}）",
    "image_damaged": "檔案已損毀或不完整，請重新傳送",
    "image_huge": "檔案標示的像素數，遠遠超過任何相機拍得出來的",
    "first_frame": "這是一張動態圖片：我會用它的第一個影格。",
    "too_big": "這個檔案超過 Telegram 允許機器人下載的大小（20 MB）。請傳送小一點的檔案。",
    "download_failed": "無法從 Telegram 下載這張圖片。請重新傳送。",
    "strength_chosen": "強度：{strength}",
    "compare_chosen": "三種強度：弱、中、強",
    "queue_position": "排在第 {position} 位。",
    "queue_within": "排在前 {within} 位以內。",
    "queue_wait": "{place}大約還要等 {wait}。",
    "painting_progress": "正在畫：{percent}%",
    "painting_left": "正在畫：{percent}%，大約還要 {wait}。",
    "preview_note": "這是目前畫到的樣子，畫好後會另傳一則訊息。",
    "status_cancelled_line": "已取消。",
    "status_done_line": "完成。",
    "cancel_button": "取消",
    "your_style": "你的風格",
    "colors_kept": "保留照片原色",
    "note": "註：{note}。",
    "note_smaller_for_memory": "受記憶體限制，畫的尺寸比平常小",
    "compare_done": "{style}，三種強度。選一張你喜歡的，接著用它繼續：",
    "weaker_button": "➖ 更弱",
    "stronger_button": "➕ 更強",
    "colors_button": "🎨 保留顏色",
    "colors_on_button": "🎨 保留顏色：開",
    "colors_off_button": "🎨 保留顏色：關",
    "new_style_button": "🖼 換風格",
    "new_photo_button": "📷 換照片",
    "file_button": "📄 原始畫質檔案",
    "file_caption": "原始畫質，{width}×{height}。",
    "failure_message": "抱歉，這幅畫沒能完成：{reason}。",
    "failure_bad_image": "有一張圖片我讀不了，請換一張",
    "failure_too_large": "圖片超出我能處理的大小，請傳送小一點的",
    "failure_engine": "是我這邊出了問題，不是你的圖片，請再試一次",
    "failure_out_of_memory": "畫這張圖時記憶體不足，請換一張小一點的",
    "failure_lost_worker": "我這邊多次出錯，畫到一半中斷了，不是你的圖片的問題，請稍後再試",
    "failure_pictures_deleted": "原圖在畫完之前就被刪除了",
    "failure_time_limit": "畫的時間超過了上限，請換一張小一點的圖片",
    "failure_unknown": "我這邊出了點問題，請再試一次",
    "refused_already_queued": "已經在畫了：這幅畫已經在排隊或正在畫。",
    "refused_already_lightest": "已經是最弱的強度了。",
    "refused_already_strongest": "已經是最強的強度了。",
    "refused_deleted": "這幅畫已經刪除，它的按鈕不能再用了。傳送照片就能畫一幅新的。",
    "refused_not_yours": "這個按鈕屬於別人的畫。",
    "refused_pictures_gone": "這幅畫的原圖我已經沒有保留了。請重新傳送。",
    "refused_queue_full": (
        "你排隊中的畫已達上限（{limit} 幅）。等其中一幅完成後，再按一次{action}；或傳送 /cancel 取消。"
    ),
    "refused_quota_reached": (
        "你今天的畫已達每日上限（{quota} 幅）。上限會在 UTC 午夜重設，還有 {hours} 小時 {minutes} 分鐘。"
    ),
    "pressed_strength": "強度按鈕",
    "not_allowed": ("抱歉，這是私人機器人。你的 Telegram 使用者 ID 是 {user_id}：請機器人的主人把它加進來。"),
    "admin_only": "這個指令只有機器人管理員能用。",
    "not_cancellable": "這幅畫已經完成，沒有可以取消的。",
    "cancelled_notice": "已取消。想重新開始時，隨時傳送照片給我。",
    "nothing_to_cancel": "沒有可以取消的。想開始時，隨時傳送照片給我。",
    "strength_lightest": "最弱",
    "strength_light": "弱",
    "strength_medium": "中",
    "strength_strong": "強",
    "strength_strongest": "最強",
    "strength_as_lightest": "最弱",
    "strength_as_light": "弱",
    "strength_as_medium": "中",
    "strength_as_strong": "強",
    "strength_as_strongest": "最強",
    "style_swirling_strokes": "漩渦筆觸",
    "style_stained_glass": "彩繪玻璃",
    "style_pointillism": "點描",
    "style_ink_wash": "水墨",
    "style_mosaic": "馬賽克",
    "style_cubist_shards": "立體派",
    "style_watercolour": "水彩",
    "style_pencil_hatching": "鉛筆排線",
    "style_wave_pattern": "青海波",
    "style_neon": "霓虹",
    "style_pop_art_dots": "普普網點",
    "style_woodcut": "木刻版畫",
    "settings": (
        "你的設定（從下一幅畫開始生效）：\n"
        "強度：{strength}\n"
        "尺寸：{size}\n"
        "筆觸：{brush}\n"
        "保留照片原色：{colors}\n\n"
        "可以用下方的按鈕更改。"
    ),
    "ask_me": "每次詢問",
    "ask_me_value": "每次詢問",
    "compare_named": "三種強度",
    "size_standard": "標準",
    "size_large": "大",
    "on": "開",
    "off": "關",
    "language_prompt": "請選擇語言：",
    "language_set": "好的，之後我會用繁體中文和你對話。",
    "history_empty": "你還沒有畫過畫。傳送一張照片開始吧。",
    "history_title": "你最近的畫：",
    "history_line": "#{id} · {when} · {style} · {strength} · {status}{details}",
    "status_queued": "排隊中",
    "status_running": "正在畫",
    "status_done": "已完成",
    "status_failed": "失敗",
    "status_cancelled": "已取消",
    "stats": (
        "使用者：{users}\n"
        "今日請求：{today}，總計：{total}\n"
        "佇列：{queued} 個等待中，{running} 個進行中\n"
        "工作耗時（最近 24 小時）：中位數 {p50}，第 95 百分位數 {p95}\n"
        "今日失敗：{failed_today}，總計：{failed}\n"
        "最近一分鐘內在線的工作程序：{workers}"
    ),
    "private_only": "我只在私人對話中運作。請私訊我：@{username}",
    "forget_prompt": (
        "這會刪除我保存的你所有資料：你的圖片、畫作、紀錄和設定，並停止正在畫的畫。此操作無法復原。"
    ),
    "forget_yes": "🗑 全部刪除",
    "forget_no": "保留我的資料",
    "forgotten": "完成：我保存的你所有資料都已刪除。想重新開始時，隨時傳送照片給我。",
    "not_forgotten": "沒有刪除任何東西。",
    "busy": "我暫時忙不過來，沒能處理這則訊息。請過一分鐘再試。",
    "internal_error": "抱歉，我這邊出了點問題。請再試一次。",
    "painting_forgotten": "這幅畫已刪除，連同我保存的你其他所有資料。",
    # Results that lead somewhere, the brush, sharing and reactions.
    "compare_picked": "{style} · 強度：{strength} — 你選的這張。下方是它的按鈕；點其他強度即可切換。",
    "finer_button": "🖌 筆觸更細",
    "coarser_button": "🖌 筆觸更粗",
    "bigger_button": "🔍 放大",
    "share_button": "↗️ 分享",
    "show_gallery_button": "🖼 顯示風格圖庫",
    "gallery_caption": "我的風格，編號與按鈕一致。",
    "or_pick_shown": "或從我的風格中選一個，編號與先前傳送的圖庫圖片一致（點 🖼 可再看一次）：",
    "brush_fine": "細",
    "brush_medium": "中",
    "brush_coarse": "粗",
    "brush_caption_fine": "細筆觸",
    "brush_caption_coarse": "粗筆觸",
    "size_caption_large": "大尺寸",
    "refused_already_finest": "筆觸已經是最細的了。",
    "refused_already_coarsest": "筆觸已經是最粗的了。",
    "refused_already_large": "這已經是大尺寸了。",
    "file_caption_same_size": (
        "原始畫質，{width}×{height}：像素與上方照片相同，"
        "但沒有經過 Telegram 的再次壓縮。想要更多像素，請點「放大」。"
    ),
    "already_here": "這張你已經有了，就在這裡 ↑",
    "history_sheet_title": "你最近的畫作。點編號即可再次取得：",
    "stats_reactions_title": "表情回應（👍 · 👎 · 總數），依風格、強度與筆觸：",
    "stats_reaction_line": "{name}：{up} · {down} · {total}",
}
