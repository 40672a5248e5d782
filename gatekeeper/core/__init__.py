"""The domain core: phase models, checklists, gate criteria and the phase engine.

Plain Python only. Nothing here imports a web framework, an ORM or a
scheduler (a test walks these files with `ast` to keep it so).
"""
