"""Steering-group meetings in plain Python: the kinds of meeting and agenda point, the
meeting's statuses and the rules of its justering."""
