"""中文（简体）。繁体中文（zh-hant、zh-tw、zh-hk、zh-mo）另有一份目录：zh_hant.py。"""

TEXTS: dict[str, str] = {
    "language_name": "简体中文",
    "cmd_start": "开始画一幅新画",
    "cmd_cancel": "取消当前的画",
    "cmd_settings": "默认强度、尺寸和颜色",
    "cmd_language": "更改语言",
    "cmd_history": "最近 10 幅画",
    "cmd_forget": "删除我保存的你的所有数据",
    "cmd_help": "使用说明",
    "bot_description": (
        "我能把你的照片变成画。\n\n"
        "先发一张照片，再发一张风格图片（画作、素描或纹理），或者从我的风格里选一个，"
        "然后选择风格强度，我就会照这个风格把你的照片画出来。"
        "可以发送照片，也可以发送 JPEG、PNG、WebP、HEIC 或 AVIF 文件。\n\n"
        "点击下方按钮开始。"
    ),
    "bot_short_description": "照任意一张图片的风格画你的照片：画作、素描或纹理都可以。",
    "decimal_mark": ".",
    "thousands_mark": ",",
    "seconds_value": "{value} 秒",
    "wait_seconds": "{n} 秒",
    "wait_minutes": "{n} 分钟",
    "wait_hours": "{n} 小时",
    "quoted": "“{label}”",
    "start": (
        "你好，{name}！我能把照片变成画。\n\n"
        "1. 发送你想画的照片。\n"
        "2. 再发送一张风格图片（一幅画或一种纹理），我会照它的风格来画；"
        "也可以从我的风格里选一个。\n"
        "3. 选择风格强度，我就把画发给你。\n\n"
        "提示：也可以把两张图作为相册一起发送（照片在前），"
        "并在说明里写上“强”或“4”，这样就不用再选强度了。\n\n"
        "现在请发送照片。"
    ),
    "help": (
        "使用方法：先发送照片，再发送风格图片（画作或纹理）或从我的风格里选一个，"
        "然后选择风格强度。图片可以作为照片发送，也可以作为 JPEG、PNG、WebP、HEIC（iPhone 原图）"
        "或 AVIF 文件发送，可以逐张发送，也可以作为相册一起发送（照片在前）。"
        "在说明里写“强”或 1（最弱）到 5（最强）的数字，就不用再选强度；"
        "也可以直接输入强度（比如“轻一点”“很强”），不必按按钮。\n\n"
        "照片和风格发反了？按“↔ 交换”，或直接输入“交换”。不确定选哪种强度？"
        "“比较强度”会把弱、中、强三种并排画出来。\n\n"
        "每幅画下方都有按钮：更弱、更强、保留颜色、换风格、换照片，以及原图文件。\n\n"
        "/start – 开始画一幅新画\n"
        "/cancel – 取消当前的画\n"
        "/settings – 默认强度、尺寸和颜色\n"
        "/language – 更改语言\n"
        "/history – 最近 10 幅画\n"
        "/forget – 删除我保存的你的所有数据\n"
        "/help – 本说明"
    ),
    "got_content": "照片收到了。现在请发送风格图片（一幅画或一种纹理）。",
    "or_pick": "或者从我的风格里选一个（编号与图中一致）：",
    "got_style": "风格收到了。风格要多强？",
    "got_both": "两张图都收到了：第一张是照片，第二张是风格。风格要多强？",
    "got_photo_same_style": "照片收到了。风格要多强？",
    "album_extra": "相册里我只用前两张：第一张是照片，第二张是风格。",
    "send_own_button": "📎 用我自己的",
    "send_own_hint": "请把风格图片以照片或图片文件的形式发给我。",
    "recent_style_button": "↺ 你的风格 {n}",
    "recent_styles_caption": "你最近发过的风格图片，编号与按钮一致。",
    "style_gone": "这个风格已经没有了。请另选一个，或发送你自己的。",
    "expect_content": "请发送你想画的照片（以照片形式，或 JPEG、PNG、WebP、HEIC、AVIF 文件）。",
    "expect_style": "请发送风格图片（画作或纹理），以照片或图片文件的形式均可；也可以在上面选一个我的风格。",
    "expect_strength": "请用上面的按钮选择强度，或者直接输入：弱、中、强，或 1 到 5 的数字。",
    "typed_size": "尺寸（标准或大）在 /settings 里设置。需要的话先去修改，然后用上面的按钮选择强度。",
    "typed_colors": "保留照片颜色在 /settings 里设置。需要的话先去打开，然后用上面的按钮选择强度。",
    "typed_cancel": "要放弃这两张图，请发送 /cancel；要继续，请用上面的按钮选择强度。",
    "idle": "发一张照片给我，我来把它画成画。发送 /start 查看说明。",
    "which_picture": "这张是新照片，还是新风格？",
    "replace_content_button": "📷 新照片",
    "replace_style_button": "🎨 新风格",
    "replaced_content": "新照片收到了。风格要多强？",
    "replaced_style": "新风格收到了。风格要多强？",
    "swap_button": "↔ 交换",
    "swapped": "已交换：现在第一张是风格，第二张是照片。风格要多强？",
    "compare_button": "比较强度",
    "already_on_it": "已经在画了。",
    "question_closed": "这个问题已经过期了。发送照片即可开始画新的一幅。",
    "expired_button": "这个按钮已失效。发送照片或 /start 即可开始画新的一幅。",
    "new_style_prompt": "请为这张照片发送新的风格图片。",
    "new_photo_prompt": "请发送一张新照片，我会用同样的风格来画。",
    "not_an_image": "这个文件不是我能用的图片。请发送 JPEG、PNG、WebP、HEIC 或 AVIF 图片。",
    "picture_refused": "这张图片我用不了：{reason}。",
    "image_empty": "文件是空的",
    "image_unreadable": "我读不了这个文件（支持 JPEG、PNG、WebP、HEIC 和 AVIF）",
    "image_too_large": "尺寸太大（{width}×{height}），请发送小一些的",
    "image_too_small": "尺寸太小（{width}×{height}），每边至少需要 {min_side} 像素",
    "image_too_narrow": "形状太细长（{width}×{height}）",
    "image_damaged": "文件已损坏或不完整，请重新发送",
    "image_huge": "文件标注的像素数远超任何相机能拍出的",
    "first_frame": "这是一张动图：我会用它的第一帧。",
    "too_big": "这个文件超过了 Telegram 允许机器人下载的大小（20 MB）。请发送小一些的文件。",
    "download_failed": "无法从 Telegram 下载这张图片。请重新发送。",
    "strength_chosen": "强度：{strength}",
    "compare_chosen": "三种强度：弱、中、强",
    "queue_position": "排在第 {position} 位。",
    "queue_within": "排在前 {within} 位以内。",
    "queue_wait": "{place}大约还要等 {wait}。",
    "painting_progress": "正在画：{percent}%",
    "painting_left": "正在画：{percent}%，大约还要 {wait}。",
    "preview_note": "这是目前画到的样子，画好后会另发一条消息。",
    "status_cancelled_line": "已取消。",
    "status_done_line": "完成。",
    "cancel_button": "取消",
    "your_style": "你的风格",
    "colors_kept": "保留照片颜色",
    "note": "注：{note}。",
    "note_smaller_for_memory": "受内存限制，画的尺寸比平时小",
    "compare_done": "{style}，三种强度。选一张你喜欢的，接着用它继续：",
    "weaker_button": "➖ 更弱",
    "stronger_button": "➕ 更强",
    "colors_button": "🎨 保留颜色",
    "colors_on_button": "🎨 保留颜色：开",
    "colors_off_button": "🎨 保留颜色：关",
    "new_style_button": "🖼 换风格",
    "new_photo_button": "📷 换照片",
    "file_button": "📄 原图文件",
    "file_caption": "原图，{width}×{height}。",
    "failure_message": "抱歉，这幅画没能画出来：{reason}。",
    "failure_bad_image": "我读不了其中一张图片，请换一张",
    "failure_too_large": "图片超出了我能处理的大小，请发送小一些的",
    "failure_engine": "我这边出了故障，不是你图片的问题，请重试",
    "failure_out_of_memory": "画这张图时内存不足，请换一张小一些的",
    "failure_lost_worker": "我这边多次出故障，画到一半中断了，不是你图片的问题，请稍后重试",
    "failure_pictures_deleted": "原图在画完之前就被删除了",
    "failure_time_limit": "画的时间超过了限制，请换一张小一些的图片",
    "failure_unknown": "我这边出了点问题，请重试",
    "refused_already_queued": "已经在画了：这幅画已经在排队或正在画。",
    "refused_already_lightest": "已经是最弱的强度了。",
    "refused_already_strongest": "已经是最强的强度了。",
    "refused_deleted": "这幅画已被删除，它的按钮不再可用。发送照片即可画一幅新的。",
    "refused_not_yours": "这个按钮属于别人的画。",
    "refused_pictures_gone": "这幅画的原图我已经不再保存了。请重新发送。",
    "refused_queue_full": (
        "你排队中的画已达上限（{limit} 幅）。等其中一幅完成后，再按一次{action}；或者发送 /cancel 取消。"
    ),
    "refused_quota_reached": (
        "你今天的画已达每日上限（{quota} 幅）。上限会在 UTC 午夜重置，还有 {hours} 小时 {minutes} 分钟。"
    ),
    "pressed_strength": "强度按钮",
    "not_allowed": (
        "抱歉，这是一个私人机器人。你的 Telegram 用户 ID 是 {user_id}：请让机器人的主人把它加进来。"
    ),
    "admin_only": "此命令仅供机器人管理员使用。",
    "not_cancellable": "这幅画已经完成了，没有可以取消的。",
    "cancelled_notice": "已取消。想重新开始时随时发送照片。",
    "nothing_to_cancel": "没有可以取消的。想开始时随时发送照片。",
    "strength_lightest": "最弱",
    "strength_light": "弱",
    "strength_medium": "中",
    "strength_strong": "强",
    "strength_strongest": "最强",
    "strength_as_lightest": "最弱",
    "strength_as_light": "弱",
    "strength_as_medium": "中",
    "strength_as_strong": "强",
    "strength_as_strongest": "最强",
    "style_swirling_strokes": "旋涡笔触",
    "style_stained_glass": "彩绘玻璃",
    "style_pointillism": "点彩",
    "style_ink_wash": "水墨",
    "style_mosaic": "马赛克",
    "style_cubist_shards": "立体主义",
    "style_watercolour": "水彩",
    "style_pencil_hatching": "铅笔排线",
    "style_wave_pattern": "青海波",
    "style_neon": "霓虹",
    "style_pop_art_dots": "波普网点",
    "style_woodcut": "木刻版画",
    "settings": (
        "你的设置（从下一幅画开始生效）：\n"
        "强度：{strength}\n"
        "尺寸：{size}\n"
        "笔触：{brush}\n"
        "保留照片颜色：{colors}\n\n"
        "可以用下面的按钮修改。"
    ),
    "ask_me": "每次询问",
    "ask_me_value": "每次询问",
    "compare_named": "三种强度",
    "size_standard": "标准",
    "size_large": "大",
    "on": "开",
    "off": "关",
    "language_prompt": "请选择语言：",
    "language_set": "好的，之后我会用简体中文和你交流。",
    "history_empty": "你还没有画过画。发送一张照片开始吧。",
    "history_title": "你最近的画：",
    "history_line": "#{id} · {when} · {style} · {strength} · {status}{details}",
    "status_queued": "排队中",
    "status_running": "正在画",
    "status_done": "已完成",
    "status_failed": "失败",
    "status_cancelled": "已取消",
    "stats": (
        "用户：{users}\n"
        "今日请求：{today}，总计：{total}\n"
        "队列：{queued} 个等待，{running} 个进行中\n"
        "任务耗时（最近 24 小时）：中位数 {p50}，第 95 百分位 {p95}\n"
        "今日失败：{failed_today}，总计：{failed}\n"
        "最近一分钟在线的工作进程：{workers}"
    ),
    "private_only": "我只在私聊中工作。请和我私聊：@{username}",
    "forget_prompt": (
        "这将删除我保存的你的所有数据：你的图片、画、历史记录和设置，并停止正在画的画。此操作无法撤销。"
    ),
    "forget_yes": "🗑 全部删除",
    "forget_no": "保留我的数据",
    "forgotten": "完成：我保存的你的所有数据都已删除。想重新开始时随时发送照片。",
    "not_forgotten": "没有删除任何内容。",
    "busy": "我暂时忙不过来，没能处理这条消息。请过一分钟再试。",
    "internal_error": "抱歉，我这边出了点问题。请重试。",
    "painting_forgotten": "这幅画已删除，连同我保存的你的其他所有数据。",
    # Results that lead somewhere, the brush, sharing and reactions.
    "compare_picked": "{style} · 强度：{strength} — 你选的这张。下面是它的按钮；点别的强度可以切换。",
    "finer_button": "🖌 笔触更细",
    "coarser_button": "🖌 笔触更粗",
    "bigger_button": "🔍 放大",
    "share_button": "↗️ 分享",
    "show_gallery_button": "🖼 显示风格图库",
    "gallery_caption": "我的风格，编号与按钮一致。",
    "or_pick_shown": "或者从我的风格里选一个，编号与之前发的图库图片一致（点 🖼 可以再看一次）：",
    "brush_fine": "细",
    "brush_medium": "中",
    "brush_coarse": "粗",
    "brush_caption_fine": "细笔触",
    "brush_caption_coarse": "粗笔触",
    "size_caption_large": "大尺寸",
    "refused_already_finest": "笔触已经是最细的了。",
    "refused_already_coarsest": "笔触已经是最粗的了。",
    "refused_already_large": "这已经是大尺寸了。",
    "file_caption_same_size": (
        "原图，{width}×{height}：像素和上面的照片一样，"
        "但没有经过 Telegram 的二次压缩。想要更多像素，请点“放大”。"
    ),
    "already_here": "这张你已经有了，就在这里 ↑",
    "history_sheet_title": "你最近的画作。点编号可以再次获取：",
    "stats_reactions_title": "表情回应（👍 · 👎 · 总数），按风格、强度和笔触：",
    "stats_reaction_line": "{name}：{up} · {down} · {total}",
}
