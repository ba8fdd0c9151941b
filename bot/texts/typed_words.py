"""The words of typed answers to the strength question, in every language the bot speaks (and both
Chinese scripts): what bot.texts.typed reads. The buttons' labels (Light, ↔ Swap, 比較強度...) are
understood too, from the catalogues; these are the other ways people say the same things.

Phrases are whole answers once the words that add nothing are gone ("light please", "oops, wrong
order"): a strength word inside a longer sentence ("the light is too strong") is no answer.
"""

from __future__ import annotations

from stylebot.choices import Strength


def phrases(listed: str) -> tuple[str, ...]:
    """Comma-separated phrases (a phrase may have spaces)."""
    return tuple(phrase.strip() for phrase in listed.split(",") if phrase.strip())


def word_set(listed: str) -> frozenset[str]:
    """Words separated by spaces."""
    return frozenset(listed.split())


# -- Languages written in words (English, Russian) ------------------------------------------------
STRENGTH_PHRASES: dict[Strength, tuple[str, ...]] = {
    Strength.LIGHTEST: phrases(
        """lightest, weakest, softest, subtlest, faintest, slightest, least, minimum, min, minimal,
        barely, минимум, минимально, минимальная, минимальный, еле, едва, еле заметно"""
    ),
    Strength.LIGHT: phrases(
        """light, weak, soft, subtle, mild, gentle, low, faint, little, bit, little bit, slight,
        lighter, weaker, softer, subtler, milder, gentler, lower, less, less style, less intense,
        слабо, слабый, слабая, слабую, слабее, послабее, легко, легкий, легкая, легкую, легче,
        полегче, мягко, мягкий, мягкая, мягче, помягче, меньше, поменьше, чуть, чуть чуть, немного,
        немножко, слегка"""
    ),
    Strength.MEDIUM: phrases(
        """medium, middle, mid, moderate, normal, average, balanced, regular, between, средне,
        средний, средняя, среднюю, посередине, нормально, нормальная, нормальный, обычно, умеренно,
        умеренная"""
    ),
    Strength.STRONG: phrases(
        """strong, heavy, bold, intense, high, stronger, heavier, bolder, higher, more, more style,
        more intense, сильно, сильный, сильная, сильную, сильнее, посильнее, мощно, мощнее, поярче,
        ярче, насыщеннее"""
    ),
    Strength.STRONGEST: phrases(
        """strongest, heaviest, boldest, max, maximum, maximal, full, extreme, most, максимум,
        максимально, максимальная, максимальный, на полную, по максимуму"""
    ),
}
SWAP_PHRASES = phrases(
    """swap, switch, flip, reverse, reversed, backwards, backward, exchange, swap round, swap around,
    switch round, switch around, swap places, switch places, wrong order, wrong way round,
    wrong way around, other way round, other way around, other way, mixed up, mix up, vice versa,
    поменяй, поменяйте, поменять, поменяй местами, поменять местами, поменяйте местами, переставь,
    переставить, наоборот, перепутал, перепутала, перепутали, перепутал порядок,
    перепутала порядок, не тот порядок, не в том порядке"""
)
COMPARE_PHRASES = phrases(
    """compare, comparison, all three, all 3, side by side, сравнить, сравни, сравнение, все три,
    все 3, все варианты"""
)
SIZE_PHRASES = phrases(
    """size, big, bigger, larger, huge, small, smaller, full size, high resolution, hi res, размер,
    крупнее, крупный, крупно"""
)
COLORS_PHRASES = phrases(
    """colors, colours, color, colour, keep colors, keep colours, original colors, original colours,
    цвет, цвета, сохрани цвета, сохранить цвета, исходные цвета, оригинальные цвета"""
)
CANCEL_PHRASES = phrases(
    """cancel, stop, abort, never mind, nevermind, forget it, отмена, отменить, отмени, стоп,
    не надо, передумал, передумала"""
)
# Words that add nothing to an answer: politeness, "I'd like", "oops", the pictures themselves.
# Never a negation ("not", "don't", "не"): "not too strong" must stay unread.
FILLERS = word_set(
    """please pls plz thanks thank thx ok okay oh oops ops whoops sorry hmm hm um uh ah well yes
    yeah yep i me my we us let lets d m s ll ve it its them they the a an to be is are was make do
    go with want would like prefer choose pick take try give just maybe perhaps guess think can
    could you one option style effect strength strengths level setting version mode picture
    pictures image images photo photos and in of for on at that this these those now then
    instead actually again got sent send put have had did done
    пожалуйста пж пжл плиз спасибо давай давайте сделай сделайте сделать мне хочу хотелось хотел
    хотела бы можно ну пусть будет ой упс ах ох блин извини извините прости простите стиль стиля
    эффект сила силу силы силой вариант это его ее их да ок окей ладно тогда лучше наверное
    наложи наложить нарисуй картинки картинку фото с и а я вот в"""
)
# "a bit stronger" is stronger: these go when something else is said (alone, they mean light).
SOFTENERS = word_set("little bit slightly somewhat tad чуть немного немножко слегка")
# "very strong" is the strongest, "very light" the lightest.
INTENSIFIERS = word_set(
    """very really real super extra ultra much way even lot lots extremely
    очень совсем супер еще гораздо намного куда самый самая самую самое предельно"""
)

# -- Chinese, both scripts (no spaces between words: fillers come off the ends) -------------------
CJK_STRENGTH_PHRASES: dict[Strength, tuple[str, ...]] = {
    Strength.LIGHTEST: phrases("最轻, 最淡, 最小, 最低, 最輕, 微弱, 一, 壹"),
    Strength.LIGHT: phrases(
        """弱, 轻, 淡, 轻微, 轻度, 低, 柔和, 轻柔, 温和, 少, 一点, 一点点, 輕, 輕微, 輕度, 輕柔, 溫和,
        一點, 一點點, 二"""
    ),
    Strength.MEDIUM: phrases(
        "中, 中等, 适中, 中度, 一般, 普通, 正常, 适度, 中间, 居中, 適中, 適度, 中間, 三"
    ),
    Strength.STRONG: phrases(
        "强, 强烈, 浓, 浓烈, 浓厚, 重, 高, 多, 明显, 強, 強烈, 濃, 濃烈, 濃厚, 明顯, 四"
    ),
    Strength.STRONGEST: phrases("最浓, 最重, 最大, 最高, 拉满, 满, 最濃, 拉滿, 滿, 五"),
}
# Not 换/換 alone: 换风格 is "another style", not a swap.
CJK_SWAP_PHRASES = phrases(
    """交换, 换一下, 换过来, 对调, 调换, 互换, 反了, 弄反了, 搞反了, 放反了, 发反了, 传反了,
    顺序错了, 顺序反了, 顺序不对, 颠倒, 倒过来, 换个顺序, 交換, 換一下, 換過來, 對調, 調換, 互換,
    傳反了, 發反了, 順序錯了, 順序反了, 順序不對, 顛倒, 倒過來, 換個順序, 相反"""
)
CJK_COMPARE_PHRASES = phrases("比较, 比較, 都试试, 都試試, 三种都要, 三種都要, 全都要")
CJK_SIZE_PHRASES = phrases("尺寸, 大一点, 大一點, 高清, 高解析度, 高分辨率, 放大")
CJK_COLORS_PHRASES = phrases("颜色, 顏色, 原色, 保留原色, 色彩, 保留色彩")
CJK_CANCEL_PHRASES = phrases("取消, 算了, 不要了, 不画了, 不畫了, 停, 停止")


def _longest_first(listed: str) -> tuple[str, ...]:
    return tuple(sorted(listed.split(), key=len, reverse=True))


# Come off the front: "please", "I want", "um", "then", "more", "a bit"...
CJK_PREFIXES = _longest_first(
    """请 請 麻烦 麻煩 我要 我想要 我想 想要 要 给我 給我 帮我 幫我 来个 來個 来 來 用 选 選 就 那就 还是 還是
    嗯 哦 喔 噢 啊 哎呀 哎哟 哎喲 唉 欸 咦 呃 好的 可以 稍微 稍 略 再 更 比较 比較 有点 有點 画得 畫得 画 畫
    风格 風格"""
)
# Come off the end: particles, "a bit", "thanks", "strength", "style"...
CJK_SUFFIXES = _longest_first(
    """吧 啊 呀 哦 喔 啦 嘛 了 的 吗 嗎 一点 一點 一些 点 點 些 一下 谢谢 謝謝 谢啦 謝啦 拜托 拜託 就好 就行
    即可 可以 强度 強度 风格 風格 效果 程度 版 版本"""
)
# "很强", "非常強烈": the strongest; "很淡": the lightest.
CJK_INTENSIFIERS = _longest_first("非常 特别 特別 超级 超級 超 很 极其 極其 极 極 十分 相当 相當 最")
