"""Every operation in ../shared/graph-contract is exercised by a contract test module."""

from __future__ import annotations

import importlib
import pkgutil

import tests.contract as pkg

from .harness import operation_files


def test_every_contract_operation_is_covered() -> None:
    covered: set[str] = set()
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("test_contract_"):
            module = importlib.import_module(f"tests.contract.{info.name}")
            covered.update(getattr(module, "COVERS", []))
    missing = sorted(set(operation_files()) - covered)
    assert not missing, f"contract operations without a test: {missing}"
    unknown = sorted(covered - set(operation_files()))
    assert not unknown, f"COVERS names operations that are not in the corpus: {unknown}"
