"""Reminder rules: the Swedish business calendar, the reminder policy and the plan computed
from a project's state.
"""
