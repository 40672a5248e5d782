"""Pages of a gate: readiness, review and vote, the beslutsprotokoll, wave decisions."""
