"""Selectors: pick one trajectory per instance from its stored rollouts, never seeing hidden tests."""
