"""API routes for reminders, the inbox, reminder settings and calendar feeds."""
