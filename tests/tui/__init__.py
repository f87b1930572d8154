"""Pilot tests of the Textual UI."""
