"""Use cases: each call is one transaction with one authorisation check and its audit events."""
