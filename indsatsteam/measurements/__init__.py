"""Documented effect in one forløb: indicators, measurements, follow-up and the benefits."""
