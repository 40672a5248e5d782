"""Follow-up rules in plain Python: goals and their measurements, laps of a cyclic workflow,
registers.
"""
