"""qapi-validate: QMP traffic held to a QAPI schema.

* ``capture`` -- reading captures: lines, direction prefixes, strict JSON;
* ``checker`` -- the schema's types compiled into value checkers;
* ``session`` -- QMP itself: message kinds, commands matched to replies,
  greeting, events, errors;
* ``cli``     -- the command line and the report.
"""
