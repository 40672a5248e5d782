"""Projects: creation, members, checklists, risks, aktivitetsplan, named decisions, the
dashboard and history.
"""
