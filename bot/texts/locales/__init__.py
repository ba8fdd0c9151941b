"""One catalogue of everything the bot says per language; tests check they hold the same keys and
placeholders as English."""
