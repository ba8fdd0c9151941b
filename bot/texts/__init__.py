"""Everything the bot says, in the user's language: the catalogues (locales/), and the functions
that turn the shared layer's words (strengths, statuses, outcomes) into sentences."""
