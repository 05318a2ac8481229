"""Reminders: schedules in the person's time zone, Web Push delivery, the calendar feed."""
