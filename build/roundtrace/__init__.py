"""roundtrace: trace a funding round through everything the press claims about it.

Pipeline stages, one module each: ingest → extract → resolve → synthesize → package → validate
→ load → serve. `roundtrace.cli` wires them into the `roundtrace` command.
"""

__version__ = "0.1.0"
