"""Every change of state, one module each: views, the API and commands call these, never the models.

Each action runs one command through the federation's rules in one database transaction
(``recording``) and returns its events, or raises the rules' refusal (``RuleBroken``:
``NotAllowed``, ``NotFound``, ``InvalidCommand``) with nothing changed.
"""
