"""Reminders: planning from each project's state, claiming and dispatch, digest, inbox,
log, settings and iCal feeds.
"""
