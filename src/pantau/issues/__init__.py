"""Issues stage."""
