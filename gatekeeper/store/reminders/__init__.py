"""Tables of reminders, inbox messages and calendar feeds."""
