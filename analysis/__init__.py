"""analysis stage (filled by later issues)."""
