"""Gates: readiness, reviews, votes, outcomes (gate decisions) and the decision register,
for a project or one wave.
"""
