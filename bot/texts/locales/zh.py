"""中文（简体）。"""

TEXTS: dict[str, str] = {
    "language_name": "中文",
    "cmd_start": "开始一幅新画",
    "cmd_cancel": "停止当前的画",
    "cmd_settings": "风格强度、尺寸和颜色",
    "cmd_language": "更改语言",
    "cmd_history": "最近 10 次请求",
    "cmd_forget": "删除我保存的关于你的一切",
    "cmd_help": "使用说明",
    "start": (
        "你好，{name}！我能把照片变成油画。\n\n"
        "1. 发送要画的照片（内容图）。\n"
        "2. 再发送要模仿其风格的图片：一幅画或一种纹理。\n"
        "3. 选择风格强度，我就会把画发回给你。\n\n"
        "提示：也可以把两张图作为相册一起发送（照片在前），并加上“强”或“4”这样的说明文字来跳过提问。\n\n"
        "现在请发送内容照片。"
    ),
    "help": (
        "使用方法：先发送内容照片，再发送风格图片（画作或纹理），然后选择风格强度。"
        "可以发送照片，也可以发送 JPEG、PNG 或 WebP 文件，逐张发送或作为相册一起发送（照片在前）。"
        "说明文字写“强”或 1（最弱）到 5（最强）的数字即可跳过提问。\n\n"
        "每个结果下方都有：更弱、更强、保留颜色、换风格、换照片。\n\n"
        "/start – 开始一幅新画\n"
        "/cancel – 停止当前的画\n"
        "/settings – 默认强度、尺寸和颜色\n"
        "/language – 更改语言\n"
        "/history – 最近 10 次请求\n"
        "/forget – 删除我保存的关于你的一切\n"
        "/help – 本说明"
    ),
    "got_content": "照片已收到。现在请发送风格图片：一幅画或一种纹理。",
    "or_pick": "或者从下面选一个：",
    "got_style": "风格已收到。风格要多强？",
    "got_both": "两张图都收到了：第一张是照片，第二张是风格。风格要多强？",
    "album_extra": "我只使用相册的前两张图：先是照片，然后是风格。",
    "send_own_button": "📎 发送我自己的",
    "send_own_hint": "请把风格图片作为照片或图片文件发送。",
    "recent_style_button": "↺ 我的风格 #{id}",
    "style_gone": "这个风格已不可用。请另选一个或发送你自己的。",
    "expect_content": "请发送要画的照片（照片，或 JPEG、PNG、WebP 文件）。",
    "expect_style": "请把风格图片（画作或纹理）作为照片或图片文件发送。",
    "expect_strength": "请用上面的按钮选择强度，或发送 /cancel。",
    "already_started": "我们已经开始了。{expectation}",
    "idle": "发一张照片给我来画，或发送 /start 查看说明。",
    "not_an_image": "这个文件不是我能用的图片。请发送 JPEG、PNG 或 WebP 图片。",
    "picture_refused": "这张图片不能用：{reason}。请换一张。",
    "image_empty": "文件是空的",
    "image_unreadable": "这不是我能读取的图片（JPEG、PNG 或 WebP）",
    "image_too_large": "图片太大（{width}×{height}），请发送小一些的",
    "image_too_small": "图片太小（{width}×{height}），每边至少需要 {min_side} 像素",
    "image_too_narrow": "图片太窄（{width}×{height}）",
    "image_damaged": "图片已损坏或不完整",
    "image_huge": "这张图片声明的像素远超我能处理的数量",
    "first_frame": "这是一张动图：我会使用它的第一帧。",
    "too_big": "文件超过了 Telegram 允许机器人下载的大小（20 MB）。请发送小一些的文件。",
    "download_failed": "无法从 Telegram 下载这张图片（{reason}）。请重试。",
    "queue_position": "已排队，第 {position} 位。",
    "queue_position_wait": "已排队，第 {position} 位：大约需要等待 {wait}。",
    "wait_seconds": "{n} 秒",
    "wait_minutes": "{n} 分钟",
    "painting_progress": "正在绘制… {percent}%",
    "done_status": "完成，用时 {seconds:.1f} 秒。",
    "caption": "强度：{strength} · {width}×{height} · {seconds:.1f} 秒",
    "colors_kept": "保留了颜色",
    "full_size_caption": "原尺寸，{width}×{height}。",
    "note": "注意：{note}。",
    "note_smaller_for_memory": "为适应引擎内存，画面被缩小了",
    "failure_message": "抱歉，无法生成你的画：{reason}。",
    "failure_bad_image": "引擎无法读取其中一张图片，请换一张",
    "failure_too_large": "图片超过了引擎接受的大小，请发送小一些的",
    "failure_engine": "我们的引擎出错了。这是我们的问题，不是你的图片的问题；请重试",
    "failure_out_of_memory": "引擎处理这张图片时内存不足，请换一张小一些的",
    "failure_lost_worker": "我们的引擎在绘制时多次停止。这是我们的问题，不是你的图片的问题；请稍后重试",
    "failure_pictures_deleted": "在绘制之前它的图片已被删除",
    "failure_time_limit": "用时超过了引擎的时间限制，请换一张小一些的图片",
    "failure_unknown": "我们这边出了问题，请重试",
    "cancel_button": "取消",
    "weaker_button": "➖ 更弱",
    "stronger_button": "➕ 更强",
    "colors_on_button": "🎨 保留颜色：开",
    "colors_off_button": "🎨 保留颜色：关",
    "new_style_button": "🖼 换风格",
    "new_photo_button": "📷 换照片",
    "refused_already_lightest": "已经是最弱的强度了。",
    "refused_already_strongest": "已经是最强的强度了。",
    "refused_deleted": "这幅画已被删除，它的按钮不再可用。发送一张照片来画一幅新的。",
    "refused_not_yours": "这个按钮属于别人的画。",
    "refused_pictures_gone": "这个请求的图片已不再保存。请重新发送。",
    "new_style_prompt": "请为同一张照片发送新的风格图片。",
    "new_photo_prompt": "请发送一张新照片，用同样的风格来画。",
    "got_photo_same_style": "照片已收到。风格要多强？",
    "refused_queue_full": "你已经有 {limit} 幅画在排队。等其中一幅完成后再按一次强度，或发送 /cancel。",
    "refused_quota_reached": (
        "你今天已经画了 {quota} 幅，达到每日上限。上限在 UTC 午夜重置，还有 {hours} 小时 {minutes} 分钟。"
    ),
    "not_allowed": "抱歉，这是私人机器人。你的 Telegram 用户 id 是 {user_id}，请让机器人的主人添加它。",
    "admin_only": "此命令仅供机器人管理员使用。",
    "stats": (
        "用户：{users}\n"
        "今日请求：{today}，总计：{total}\n"
        "队列：{queued} 个等待，{running} 个进行中\n"
        "任务秒数（24 小时）：中位数 {p50}，95 百分位 {p95}\n"
        "今日失败：{failed_today}，总计：{failed}\n"
        "最近一分钟内的工作进程：{workers}"
    ),
    "not_cancellable": "这个请求已经结束，或者不是你的。",
    "cancelled_notice": "已取消。想重新开始时随时发送照片。",
    "cancelled_jobs": "已取消你的请求（#{ids}）。想重新开始时随时发送照片。",
    "expired_button": "这个按钮已过期。发送 /start 重新开始。",
    "strength_chosen": "强度：{strength}。",
    "strength_lightest": "最弱",
    "strength_light": "弱",
    "strength_medium": "中",
    "strength_strong": "强",
    "strength_strongest": "最强",
    "settings": (
        "你的设置（从下一幅画开始生效）：\n"
        "强度：{strength}\n"
        "尺寸：{size}\n"
        "保留照片颜色：{colors}\n\n"
        "用按钮修改。"
    ),
    "ask_me": "每次询问",
    "size_standard": "标准",
    "size_large": "大",
    "on": "开",
    "off": "关",
    "language_prompt": "请选择语言：",
    "language_set": "从现在起我说中文。",
    "history_empty": "你还没有请求。发送一张照片开始吧。",
    "history_title": "你最近的请求：",
    "history_line": "#{id} · {when} · {strength} · {status}{seconds}",
    "status_queued": "排队中",
    "status_running": "进行中",
    "status_done": "完成",
    "status_failed": "失败",
    "status_cancelled": "已取消",
    "private_only": "我只在私聊中工作。请私聊我：@{username}",
    "forget_prompt": (
        "这会删除我保存的关于你的一切：你的图片、结果、历史和设置，并停止正在进行的画。此操作无法撤销。"
    ),
    "forget_yes": "🗑 全部删除",
    "forget_no": "保留我的数据",
    "forgotten": "完成：我保存的关于你的一切都已删除。想重新开始时随时发送照片。",
    "not_forgotten": "没有删除任何内容。",
    "busy": "我暂时太忙，没能接收。请一分钟后再试。",
    "internal_error": "抱歉，我们这边出了问题。请重试。",
}
