"""Reports read from a project's record: the follow-up report of any date and the slutrapport."""
