"""``Exposed``: a public, read-only attribute over a private one that only its widget writes.

A widget keeps the state it alone may change (the cursor, the sort, the layout) in a private
attribute and lets the rest of the explorer read it. ``unified = Exposed[bool]("_unified",
"...")`` says so in one line where a ``@property`` that only returns the attribute takes three.
Read on the class it is the descriptor (its ``__doc__`` for ``help()``), on an instance the
value. Written by hand because ``property(operator.attrgetter(...))`` would read as ``Any`` to
mypy.
"""

from __future__ import annotations

from typing import Generic, Never, Self, TypeVar, cast, overload

T = TypeVar("T")


class Exposed(Generic[T]):
    """Reads the instance's ``private`` attribute; assigning raises ``AttributeError``, as it
    does for a property without a setter."""

    def __init__(self, private: str, doc: str | None = None) -> None:
        self.private = private
        self.name = private
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | Self:
        if instance is None:
            return self
        return cast(T, getattr(instance, self.private))

    # Typed ``Never`` so that mypy refuses an assignment, as it does for a read-only property.
    def __set__(self, instance: object, value: Never) -> None:
        raise AttributeError(f"{type(instance).__name__}.{self.name} is read-only")
