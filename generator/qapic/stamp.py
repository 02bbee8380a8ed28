"""The no-op fast path: a stamp of what the last run read and wrote.

qapi-gen runs on every build.  When the schema files, the options and
the generator are what they were, and every output is still as that run
left it, there is nothing to do: the stamp lets qapi-gen see that
without parsing the schema.  Inputs are compared by content (a hash),
outputs by size and modification time.
"""

import hashlib
import json
import os
from typing import Dict, List, Optional

from . import __version__


def _hash(path: str) -> Optional[str]:
    try:
        with open(path, 'rb') as f:
            return hashlib.sha1(f.read()).hexdigest()
    except OSError:
        return None


def _stat(path: str) -> Optional[List[int]]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class Stamp:
    def __init__(self, path: str, options: List[str]) -> None:
        self.path = path
        self.key = {'version': __version__, 'options': options}

    def is_current(self) -> bool:
        try:
            with open(self.path, encoding='utf-8') as f:
                data = json.load(f)
            if data['key'] != self.key:
                return False
            inputs: Dict[str, str] = data['inputs']
            outputs: Dict[str, List[int]] = data['outputs']
        except (OSError, ValueError, KeyError, TypeError):
            return False
        return (all(_hash(p) == h for p, h in inputs.items())
                and all(_stat(p) == s for p, s in outputs.items()))

    def write(self, inputs: List[str], outputs: List[str]) -> None:
        data = {'key': self.key,
                'inputs': {p: _hash(p) for p in inputs},
                'outputs': {p: _stat(p) for p in outputs}}
        tmp = self.path + '.tmp'
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(data, f, indent=0, sort_keys=True)
        os.replace(tmp, self.path)

    def remove(self) -> None:
        try:
            os.remove(self.path)
        except OSError:
            pass
