"""Interaction with the operating system: network guard, air-gap check, clock, atomic files."""
