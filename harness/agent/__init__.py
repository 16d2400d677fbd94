"""The agent: a multi-turn tool loop (loop.py) over tools (tools.py), an action parser (actions.py) and
prompt templates (templates/)."""
