"""The Telegram callbacks: each parses its update, calls a plain function, and replies."""
