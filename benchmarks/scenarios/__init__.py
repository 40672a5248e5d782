"""The scenarios of `python -m benchmarks`, one module each; importing this registers them.

`ORDER` is the order they run in (after the limits, which always come first).
"""

from __future__ import annotations

import importlib

ORDER = (
    "gate_transition",
    "readiness_review",
    "bulk_tick",
    "unit_import",
    "reminders",
    "core",
    "pages",
    "http",
    "scale_out",
    "capacity",
    "api",
)

for _name in ORDER:
    importlib.import_module(f"{__name__}.{_name}")
