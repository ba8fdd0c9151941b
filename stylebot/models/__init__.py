"""The tables, every one on Base.metadata (Alembic's env reads it from here), and their names in one
place: `from stylebot.models import Request` whichever module declares it.

base: Base and the pictures; requests: users and requests (the job queue); chat: the bot's tables
around the conversation with Telegram; engine: what the workers write besides their requests.
"""

from stylebot.columns import utcnow  # also here: most callers know the time from the models they write
from stylebot.models.base import PICTURES, Base, Picture, picture_column, picture_hash, store_picture
from stylebot.models.chat import Draft, Inbox, Reaction, ResultMessage, Sent, TelegramFile, Upload
from stylebot.models.engine import EngineSpeed, Preview, Variant, Worker
from stylebot.models.requests import ACTIVE, FINISHED_UNDELIVERED, Request, Status, User

__all__ = [
    "ACTIVE",
    "FINISHED_UNDELIVERED",
    "PICTURES",
    "Base",
    "Draft",
    "EngineSpeed",
    "Inbox",
    "Picture",
    "Preview",
    "Reaction",
    "Request",
    "ResultMessage",
    "Sent",
    "Status",
    "TelegramFile",
    "Upload",
    "User",
    "Variant",
    "Worker",
    "picture_column",
    "picture_hash",
    "store_picture",
    "utcnow",
]
