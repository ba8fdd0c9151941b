"""What runs before every handler: private chats only, the allow-list, and the user's profile."""
