"""Pages for reminders: inbox, calendar feeds, the reminder log and settings."""
