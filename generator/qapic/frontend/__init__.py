"""The front-end: reads schema files and checks them.

Stages, one module each:

* ``source``  -- source locations and the errors that carry them;
* ``parser``  -- the schema syntax, ``include`` and ``pragma`` directives;
* ``doc``     -- documentation comments;
* ``expr``    -- the shape of each top-level expression;
* ``entities`` and ``schema`` -- the schema model: name resolution and the
  semantic checks that need the whole schema.
"""
