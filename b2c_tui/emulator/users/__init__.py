"""The tenant's users: derived lazily from (seed, ordinal) so a tenant of millions starts
instantly, indexed so that B2C's queries stay cheap, and served a page at a time from arrays.

``generator`` derives users, ``directory`` overlays the changed ones, ``index`` and
``listing`` answer queries, ``json_writer`` serializes pages, ``schema`` and ``accounts`` hold
the rules of the user resource.
"""
