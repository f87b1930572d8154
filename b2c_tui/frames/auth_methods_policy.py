"""The B2C authentication methods policy (beta singleton) as one row of three switches."""

from __future__ import annotations

from .columns import Column

AUTH_METHODS_POLICY_COLUMNS: tuple[Column, ...] = (
    Column("isEmailPasswordAuthenticationEnabled", "Email + password", kind="bool", width=16),
    Column("isUserNameAuthenticationEnabled", "User name + password", kind="bool", width=20),
    Column("isPhoneOneTimePasswordAuthenticationEnabled", "Phone one-time code", kind="bool",
           width=19),
)
