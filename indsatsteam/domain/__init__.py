"""Pure domain rules for indsatsteam: plain values in, values or a DomainError out.

Nothing in this package may import Flask or SQLAlchemy, so the rules can be tested
without an application or a database.
"""
