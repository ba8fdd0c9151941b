"""Less clutter, counted through the stand-in with the real bot: a returning user's painting brings
one message fewer than their first one did before (the gallery's picture comes once; their recent
styles carry the question), and the gallery comes back with its button."""

from __future__ import annotations

from bench.messages import measure
from testkit.botapi import BotApiStandIn, User
from testkit.pictures import CAT, WAVES
from tests.harness import buttons, running_bot, said, says, send_two_pictures, style_question


async def test_messages_per_painting_for_a_new_and_a_returning_user() -> None:
    figures = await measure()
    first, returning = figures["first painting (own style)"], figures["returning user (gallery style)"]
    # Photo: the gallery's question; style: the strength question; then the painting.
    assert (first["messages"], first["photos"]) == (3, 2)
    # Photo: the recent styles' picture carrying the question (no second gallery picture); then as above.
    assert (returning["messages"], returning["photos"]) == (3, 2)
    assert returning["edits"] == first["edits"] and returning["deletions"] == first["deletions"] == 1


async def test_the_gallery_comes_once_and_again_on_request(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user = User(81)
    async with running_bot(botapi, sqlite_url):
        first = await style_question(botapi, lambda: botapi.send_photo(user, CAT))
        await said(botapi, lambda: botapi.send_text(user, "/start"))
        second = await style_question(botapi, lambda: botapi.send_photo(user, WAVES))
        gallery = await said(botapi, lambda: botapi.press_button(user, second.result, "gallery"), "sendPhoto")
        # A user with a style picture of their own: the question rides on that picture.
        question = await send_two_pictures(botapi, user, CAT, WAVES)
        await said(
            botapi, lambda: botapi.press_button(user, question.result, "strength:light"), "editMessageText"
        )
        third = await style_question(botapi, lambda: botapi.send_photo(user, CAT))
    assert first.method == "sendPhoto" and "gallery" not in buttons(first)
    assert second.method == "sendMessage" and "gallery" in buttons(second)
    assert says(gallery.params["caption"], "gallery_caption")
    assert gallery.params["photo"] == first.result["photo"][-1]["file_id"], "by its file id: no upload"
    assert third.method == "sendPhoto" and says(third.params["caption"], "recent_styles_caption")
    assert any(data.startswith("style:r:") for data in buttons(third)), "the recent style's button"
