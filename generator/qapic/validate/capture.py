"""Reading a capture: one JSON message a line.

A line may start with a direction, "-> " (client to server) or "<- "
(server to client), as in QEMU's documentation and our client's trace.
Blank lines are skipped, and so are the headers socat -v writes before
each block of data (the literal "\\r" it writes for a carriage return is
dropped).  Several messages on one line (concatenated JSON) are read one
after the other.

The JSON is held to what QMP accepts: UTF-8, no duplicate keys, no
NaN or Infinity, no lone surrogates, no "\\u0000".
"""

import json
import re
from typing import Any, BinaryIO, Dict, Iterator, List, Optional, Tuple

_SOCAT_HEADER = re.compile(
    rb'[<>] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+ +length=\d+ from=\d+ to=\d+$')


class Message:
    """One message of a capture, or a line that holds none (error)."""

    __slots__ = ('line', 'direction', 'value', 'error', 'ascii', 'dups')

    def __init__(self, line: int, direction: str, value: Any = None,
                 error: Optional[str] = None, ascii: bool = True,
                 dups: Optional[List[str]] = None) -> None:
        self.line = line
        self.direction = direction      # '->', '<-' or '' (not given)
        self.value = value
        self.error = error
        self.ascii = ascii
        self.dups = dups or []           # member paths of duplicate keys


class _Reject(ValueError):
    pass


def _constant(name: str) -> Any:
    raise _Reject('%s is not JSON' % name)


class _Decoder:
    """json's decoder, counting the objects that repeat a key."""

    def __init__(self) -> None:
        self.dups: List[Tuple[Dict[str, Any], List[str]]] = []
        decoder = json.JSONDecoder(object_pairs_hook=self._object,
                                   parse_constant=_constant)
        self.raw_decode = decoder.raw_decode
        # raw_decode without its wrapper, for the common case.
        self.scan_once = decoder.scan_once  # type: ignore[attr-defined]

    def _object(self, pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen = set()
            dups = []
            for key, _ in pairs:
                if key in seen and key not in dups:
                    dups.append(key)
                seen.add(key)
            self.dups.append((obj, dups))
        return obj


def _dup_paths(value: Any, dups: List[Tuple[Dict[str, Any], List[str]]]
               ) -> List[str]:
    """The member paths of the duplicate keys recorded, in document
    order (a walk of the value finds where each object sits)."""
    by_id = {id(obj): keys for obj, keys in dups}
    out: List[str] = []
    stack: List[Tuple[str, Any]] = [('', value)]
    while stack:
        path, v = stack.pop()
        if isinstance(v, dict):
            keys = by_id.get(id(v), ())
            out += [path + '.' + k if path else k for k in keys]
            stack += [(path + '.' + k if path else k, sub)
                      for k, sub in reversed(list(v.items()))]
        elif isinstance(v, list):
            stack += [('%s[%d]' % (path, i), sub)
                      for i, sub in reversed(list(enumerate(v)))]
    return out


def read(stream: BinaryIO) -> Iterator[Message]:
    decoder = _Decoder()
    scan_once = decoder.scan_once
    for lineno, line in enumerate(stream, 1):
        raw = line.strip()
        if not raw:
            continue
        direction = ''
        head = raw[:2]
        if head == b'->' or head == b'<-':
            direction = head.decode()
            raw = raw[2:].lstrip()
            if not raw:
                yield Message(lineno, direction,
                              error="no message after '%s'" % direction)
                continue
        elif head[:1] in b'<>' and _SOCAT_HEADER.match(raw):
            continue
        if raw[-2:] == b'\\r':
            raw = raw[:-2].rstrip()
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as err:
            yield Message(lineno, direction,
                          error='not UTF-8: byte 0x%02x at column %d'
                          % (raw[err.start], line.find(raw) + err.start + 1))
            continue
        # The common case, one plain message, without a generator.
        if decoder.dups:
            decoder.dups = []
        try:
            value, stop = scan_once(text, 0)
        except (StopIteration, ValueError, RecursionError):
            stop = -1
        if stop == len(text) and not decoder.dups and '\\u' not in text:
            yield Message(lineno, direction, value, None, raw.isascii())
        else:
            yield from _messages(decoder, lineno, direction, text,
                                 line.find(raw), raw.isascii())


def _messages(decoder: _Decoder, lineno: int, direction: str, text: str,
              indent: int, ascii: bool) -> Iterator[Message]:
    """The messages of one line; indent: the columns before text."""
    pos = 0
    end = len(text)
    while pos < end:
        decoder.dups = []
        try:
            value, stop = decoder.raw_decode(text, pos)
            if '\\u' in text[pos:stop]:
                _check_escapes(value, text[pos:stop])
        except _Reject as err:
            yield Message(lineno, direction, error='malformed JSON: %s' % err)
            return
        except ValueError as err:
            msg = getattr(err, 'msg', str(err))
            col = getattr(err, 'colno', pos + 1)
            yield Message(lineno, direction, error='malformed JSON: %s at '
                          'column %d' % (msg[:1].lower() + msg[1:],
                                         col + indent))
            return
        except RecursionError:
            yield Message(lineno, direction,
                          error='malformed JSON: nested too deeply')
            return
        dups = _dup_paths(value, decoder.dups) if decoder.dups else None
        yield Message(lineno, direction, value, ascii=ascii, dups=dups)
        pos = stop
        while pos < end and text[pos] in ' \t':
            pos += 1


def _check_escapes(value: Any, text: str) -> None:
    """QMP refuses "\\u0000" and lone surrogates; json takes both."""
    if '\\u0000' in text:
        raise _Reject('"\\u0000" is not accepted by QMP')
    try:
        json.dumps(value, ensure_ascii=False).encode('utf-8')
    except UnicodeEncodeError:
        raise _Reject('lone surrogate in a string') from None
