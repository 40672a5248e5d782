"""Events: the stable names of what happened, and one typed record per kind of change.

`names` holds the words other tools rely on (`EventName`); `base` the record
every change is written down as (`Event`); the other modules one record class
per event kind, grouped by capability like the services that record them.
"""

from gatekeeper.core.events.names import EVENT_DESCRIPTIONS, EventName

__all__ = ["EVENT_DESCRIPTIONS", "EventName"]
