"""What runs before every handler: private chats only, the allow-list, and the user recorded (with
the preferences kept in memory, bot.access.profiles)."""
