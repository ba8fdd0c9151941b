"""What the bot and the engine share: settings, the database layer and image checks."""
