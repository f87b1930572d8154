"""Helpers shared by tests (no tests here): import them from ``tests.helpers.*``, never from a
conftest or from a test module."""
