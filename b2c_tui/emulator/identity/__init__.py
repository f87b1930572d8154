"""The identity services of the tenant (identity providers, user flows, user flow attributes,
Trust Framework policies and keysets, the B2C authentication methods policy, conditional
access): their state, seed and rules."""
