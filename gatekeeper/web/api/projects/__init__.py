"""API routes for projects, their work (checklists, risks, activities, named decisions) and
history.
"""
