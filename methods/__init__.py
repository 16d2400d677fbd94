"""methods stage (filled by later issues)."""
