"""The personal calendar feed (iCalendar) and the page where a user gets its link."""
