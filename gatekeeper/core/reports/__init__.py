"""Reports read from a project's record: the slutrapport's model and its plain rules."""
