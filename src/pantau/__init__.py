"""pantau: self-hosted issue monitoring and crisis communication for Indonesian PR offices."""

__all__ = ["__version__"]

__version__ = "0.1.0"
