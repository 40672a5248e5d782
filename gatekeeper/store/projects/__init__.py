"""Tables of projects: definitions, members, gate targets, phase changes, checklists,
risks, activities, named decisions.
"""
