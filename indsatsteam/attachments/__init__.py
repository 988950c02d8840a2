"""Files people attach to an application or a forløb (the store is chosen in create_app)."""
