"""Tables of rollouts: waves, units, unit checklist items and the units a wave requires."""
