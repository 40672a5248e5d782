"""Access: user accounts, web logins and API tokens."""
