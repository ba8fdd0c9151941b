"""Share and reactions, through the Bot API stand-in: `@bot` offers the user's paintings as inline
results by their file ids (the one whose Share button was pressed first), and reactions on results
are kept and counted by style, strength and brush in /stats."""

from __future__ import annotations

from bot.texts.catalogue import text
from testkit.botapi import BotApiStandIn, User
from tests.harness import add_done_request, buttons, running_bot, said, says


async def test_inline_mode_offers_the_users_paintings_the_shared_one_first(
    botapi: BotApiStandIn, sqlite_url: str
) -> None:
    user, other = User(71), User(72)
    async with running_bot(botapi, sqlite_url):
        first = await add_done_request(
            sqlite_url, user_id=user.id, style_name="Neon", style_file_id="gallery:neon"
        )
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
        second = await add_done_request(sqlite_url, user_id=user.id, strength="strong")
        await botapi.wait_for(
            "sendPhoto", lambda c: c.result is not None and f"file:{second}" in buttons(c), timeout=20
        )
        assert buttons(photo)[f"inline:{first}"] == text("en", "share_button")
        answer = await said(botapi, lambda: botapi.inline_query(user, str(first)), "answerInlineQuery")
        stranger = await said(botapi, lambda: botapi.inline_query(other, str(first)), "answerInlineQuery")
    results = answer.params["results"]
    assert [r["id"] for r in results] == [f"{first}-r", f"{second}-r"], (
        "the shared one first, then the newest"
    )
    assert results[0]["type"] == "photo"
    assert results[0]["photo_file_id"] == photo.result["photo"][-1]["file_id"]
    assert says(results[0]["caption"], "style_neon")
    assert stranger.params["results"] == [], "only one's own paintings"
    assert answer.params.get("is_personal") == "true"


async def test_reactions_on_results_are_counted_in_stats(botapi: BotApiStandIn, sqlite_url: str) -> None:
    user, admin = User(73), User(74)
    async with running_bot(botapi, sqlite_url, admin_user_ids=[admin.id]):
        liked = await add_done_request(
            sqlite_url, user_id=user.id, style_name="Neon", style_file_id="gallery:neon"
        )
        photo = await botapi.wait_for("sendPhoto", lambda c: c.result is not None, timeout=20)
        compared = await add_done_request(sqlite_url, user_id=user.id, compare=True)
        album = await botapi.wait_for("sendMediaGroup", lambda c: c.result is not None, timeout=20)
        botapi.react(user, photo.result, "👍")
        botapi.react(user, album.result[2], "👎")  # the strong picture of the comparison
        botapi.react(user, album.result[0], "👍")
        botapi.react(user, album.result[0], None, old="👍")  # taken back
        # Each user's updates are handled in order: /stats after the reactions sees all of them.
        await said(botapi, lambda: botapi.send_text(user, "/history"), "sendPhoto")
        shown = await said(botapi, lambda: botapi.send_text(admin, "/stats"))
    said_text = shown.params["text"]
    assert says(said_text, "stats_reactions_title")
    assert says(said_text, "stats_reaction_line", name="Neon", up=1, down=0, total=1)
    assert says(said_text, "stats_reaction_line", name=text("en", "strength_strong"), up=0, down=1, total=1)
    assert says(said_text, "stats_reaction_line", name=text("en", "strength_medium"), up=1, down=0, total=1)
    assert says(said_text, "stats_reaction_line", name=text("en", "brush_medium"), up=1, down=1, total=2)
    assert liked != compared


async def test_reactions_come_only_when_the_bot_asks_for_them(botapi: BotApiStandIn) -> None:
    """The stand-in, as Telegram: message_reaction updates only for a bot whose allowed_updates
    name them (the bot does: bot.runtime.receiving.ALLOWED_UPDATES)."""
    from bot.runtime.receiving import ALLOWED_UPDATES

    assert {"message_reaction", "inline_query"} <= set(ALLOWED_UPDATES)
    assert botapi._allows({"update_id": 1, "message": {}})
    assert not botapi._allows({"update_id": 2, "message_reaction": {}}), "not by default"
