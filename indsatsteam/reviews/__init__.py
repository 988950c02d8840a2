"""Reviewing applications: the queue, reviewer assignment, assessments and the decision."""
