"""Pages of a project: Översikt, the project page, the workflow diagram and the timeline."""
