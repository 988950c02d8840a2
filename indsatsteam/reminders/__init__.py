"""Reminders: the rules (what is due when), the sweep that puts them in the notification
outbox and sends it, and the scheduler process that runs the sweep and the daily digest."""
