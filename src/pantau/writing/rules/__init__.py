"""The linter's rules, one module per family; importing a module registers its rules."""

__all__ = ["ethics", "eyd", "readability", "spelling", "structure"]
