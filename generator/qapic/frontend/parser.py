"""Schema syntax: JSON-like values, comments, and the two directives.

A schema file is a sequence of top-level JSON objects written with
single-quoted strings, plus ``#`` comments.  A comment block opened and
closed by a ``##`` line is a documentation comment and belongs to the
definition that follows it.

The whole file is cut into tokens by one regular expression, then a
recursive-descent reader walks the token list.  Token positions are not
kept: the rare error re-scans its line to find the column.
"""

import os
import re
from typing import Any, Dict, List, Optional, Set

from .doc import Doc, DocLine
from .source import Pragma, QAPIError, SourceInfo

# Newline, comment, string (possibly unterminated), punctuation, and any
# other run of characters, which can only be 'true', 'false' or an error.
# Other white space matches nothing and is skipped by findall().
_TOKEN = re.compile(r"""\n|#[^\n]*|'(?:[^'\\\n]|\\.)*'?|[{}\[\]:,]|[^\s'{}\[\]:,#]+""")
_STRING_SUSPECT = re.compile(r'[^ -~]|\\')
_EOF = ''
_MAX_DEPTH = 64         # far beyond any real schema; keeps recursion bounded
_MAX_INCLUDE_DEPTH = 64


class Expr:
    """A top-level expression with its location and documentation."""

    __slots__ = ('expr', 'info', 'doc')

    def __init__(self, expr: Dict[str, Any], info: SourceInfo,
                 doc: Optional[Doc] = None) -> None:
        self.expr = expr
        self.info = info
        self.doc = doc


class SchemaParser:
    """Reads a schema file and everything it includes.

    After construction, ``exprs`` holds every top-level expression in
    schema order (an ``include`` directive is kept as a marker before
    the expressions of the file it includes) and ``docs`` every
    documentation comment, free-form ones included."""

    def __init__(self, fname: str) -> None:
        self.pragma = Pragma()
        self.exprs: List[Expr] = []
        self.docs: List[Doc] = []
        self.files: List[str] = []
        self._seen: Set[str] = set()
        self._read(fname, None)

    def _read(self, fname: str, incl_info: Optional[SourceInfo]) -> None:
        self._seen.add(os.path.abspath(fname))
        try:
            with open(fname, 'rb') as f:
                data = f.read()
        except OSError as e:
            raise QAPIError(incl_info, "can't read %s file '%s': %s"
                            % ('include' if incl_info else 'schema', fname,
                               e.strerror)) from None
        self.files.append(fname)
        _FileReader(self, fname, data, incl_info).read()

    def include(self, name: str, info: SourceInfo) -> None:
        fname = os.path.join(os.path.dirname(info.fname), name)
        absname = os.path.abspath(fname)
        inf: Optional[SourceInfo] = info
        depth = 0
        while inf:
            if absname == os.path.abspath(inf.fname):
                raise QAPIError(info, "inclusion loop for %s" % name)
            inf = inf.parent
            depth += 1
        if depth >= _MAX_INCLUDE_DEPTH:
            raise QAPIError(info, 'includes nested too deeply (more than %d '
                            'levels)' % _MAX_INCLUDE_DEPTH)
        self.exprs.append(Expr({'include': fname}, info))
        if absname not in self._seen:
            self._read(fname, info)

    def set_pragma(self, name: str, value: object, info: SourceInfo) -> None:
        if name == 'doc-required':
            if not isinstance(value, bool):
                raise QAPIError(info, "pragma 'doc-required' must be boolean")
            self.pragma.doc_required = value
            return
        attr = {'command-name-exceptions': 'command_name_exceptions',
                'command-returns-exceptions': 'command_returns_exceptions',
                'member-name-exceptions': 'member_name_exceptions'}.get(name)
        if attr is None:
            raise QAPIError(info, "unknown pragma '%s'" % name)
        if (not isinstance(value, list)
                or not all(isinstance(v, str) for v in value)):
            raise QAPIError(info, "pragma %s must be a list of strings" % name)
        setattr(self.pragma, attr, value)


class _FileReader:
    """Reads one file's tokens into expressions and doc comments."""

    def __init__(self, parser: SchemaParser, fname: str, data: bytes,
                 incl_info: Optional[SourceInfo]) -> None:
        self.parser = parser
        self.fname = fname
        self.base_info = SourceInfo(fname, None, incl_info, parser.pragma)
        try:
            self.src = data.decode('utf-8')
        except UnicodeDecodeError as e:
            line = data.count(b'\n', 0, e.start) + 1
            raise QAPIError(self.base_info.at_line(line),
                            'invalid UTF-8 in schema file') from None
        self.toks: List[str] = _TOKEN.findall(self.src)
        self.toks.append(_EOF)
        self.i = 0              # index of the current token
        self.line = 1           # its line
        self.line_tok = 0       # index of the first token on that line
        self.depth = 0          # nesting of objects and arrays

    # Errors

    def _column(self, tok_index: int) -> int:
        """1-based column of token tok_index, tabs to multiples of 8."""
        start = self._offset_of_line()
        end = self.src.find('\n', start)
        text = self.src[start:] if end < 0 else self.src[start:end]
        pos = len(text)
        for n, m in enumerate(_TOKEN.finditer(text)):
            if n == tok_index - self.line_tok:
                pos = m.start()
                break
        return _expanded_column(text, pos)

    def _offset_of_line(self) -> int:
        off = -1
        for _ in range(self.line - 1):
            off = self.src.find('\n', off + 1)
        return off + 1

    def error(self, msg: str, tok_index: Optional[int] = None) -> QAPIError:
        col = self._column(self.i if tok_index is None else tok_index)
        return QAPIError(self.base_info.at_line(self.line), msg, col)

    def doc_error(self, line: int, msg: str) -> QAPIError:
        text = self.src.split('\n')[line - 1]
        return QAPIError(self.base_info.at_line(line), msg,
                         _expanded_column(text, text.find('#')))

    # Tokens

    def _skip(self) -> str:
        """Move past the current token to the next one that matters
        inside an expression, and return it."""
        toks = self.toks
        i = self.i + 1
        while True:
            t = toks[i]
            if t == '\n':
                self.line += 1
                self.line_tok = i + 1
            elif t[:1] != '#':
                self.i = i
                return t
            elif t[:2] == '##':
                self.i = i
                raise self.error('documentation comment inside an expression')
            i += 1

    def _next(self) -> None:
        """Move past the last token of a value.  The end of a top-level
        expression is left to read(), where doc comments may follow."""
        if self.depth > 1 or self.depth == 1 and self.toks[self.i] not in ('}', ']'):
            self._skip()
        else:
            self.i += 1

    def _value(self) -> Any:
        t = self.toks[self.i]
        c = t[:1]
        if c == '{' or c == '[':
            if self.depth == _MAX_DEPTH:
                raise self.error('nesting too deep')
            self.depth += 1
            val = self._object() if c == '{' else self._array()
            self.depth -= 1
            return val
        if c == "'":
            val = self._string(t)
            self._next()
            return val
        if t == 'true' or t == 'false':
            self._next()
            return t == 'true'
        if t == _EOF:
            raise self.error('expected a value, found end of file')
        if c in '}],:':
            raise self.error("expected '{', '[', string, or boolean")
        raise self.error("stray '%s'" % t)

    def _string(self, t: str) -> str:
        if len(t) < 2 or t[-1] != "'" or t[-2:] == "\\'" and _odd_escape(t):
            raise self.error("missing terminating \"'\"")
        s = t[1:-1]
        if _STRING_SUSPECT.search(s):
            i = 0
            while i < len(s):
                ch = s[i]
                if ch == '\\':
                    nxt = s[i + 1]
                    if nxt != '\\':
                        raise self.error('unknown escape \\%s' % nxt)
                    i += 1
                elif not ' ' <= ch <= '~':
                    raise self.error('funny character in string')
                i += 1
            s = s.replace('\\\\', '\\')
        return s

    def _object(self) -> Dict[str, Any]:
        obj: Dict[str, Any] = {}
        t = self._skip()
        if t == '}':
            self._next()
            return obj
        while True:
            if t[:1] != "'":
                raise self.error("expected string or '}'"
                                 if not obj else 'expected string')
            key = self._string(t)
            if key in obj:
                raise self.error("duplicate key '%s'" % key)
            if self._skip() != ':':
                raise self.error("expected ':'")
            self._skip()
            obj[key] = self._value()
            t = self.toks[self.i]
            if t == '}':
                self._next()
                return obj
            if t != ',':
                raise self.error("expected ',' or '}'")
            t = self._skip()

    def _array(self) -> List[Any]:
        arr: List[Any] = []
        t = self._skip()
        if t == ']':
            self._next()
            return arr
        while True:
            if t in ('}', ']', ',', ':', _EOF):
                raise self.error("expected value or ']'"
                                 if not arr else 'expected value')
            arr.append(self._value())
            t = self.toks[self.i]
            if t == ']':
                self._next()
                return arr
            if t != ',':
                raise self.error("expected ',' or ']'")
            t = self._skip()

    # Top level

    def read(self) -> None:
        toks = self.toks
        doc: Optional[Doc] = None
        while True:
            t = toks[self.i]
            if t == '\n':
                self.line += 1
                self.i += 1
                self.line_tok = self.i
            elif t[:1] == '#':
                if t[:2] == '##':
                    self._reject_doc(doc)
                    for doc in self._doc_block():
                        self.parser.docs.append(doc)
                else:
                    self.i += 1
            elif t == _EOF:
                self._reject_doc(doc)
                return
            else:
                info = self.base_info.at_line(self.line)
                expr = self._value()
                self._directive_or_definition(expr, info, doc)
                doc = None

    def _directive_or_definition(self, expr: Any, info: SourceInfo,
                                 doc: Optional[Doc]) -> None:
        if not isinstance(expr, dict):
            raise QAPIError(info, 'top-level expression must be an object')
        if 'include' in expr:
            self._reject_doc(doc)
            if len(expr) != 1:
                raise QAPIError(info, "invalid 'include' directive")
            name = expr['include']
            if not isinstance(name, str):
                raise QAPIError(info, "value of 'include' must be a string")
            self.parser.include(name, info)
        elif 'pragma' in expr:
            self._reject_doc(doc)
            if len(expr) != 1:
                raise QAPIError(info, "invalid 'pragma' directive")
            pragma = expr['pragma']
            if not isinstance(pragma, dict):
                raise QAPIError(info, "value of 'pragma' must be an object")
            for name, value in pragma.items():
                self.parser.set_pragma(name, value, info)
        else:
            if doc and not doc.symbol:
                raise QAPIError(doc.info, 'definition documentation required')
            self.parser.exprs.append(Expr(expr, info, doc))

    def _reject_doc(self, doc: Optional[Doc]) -> None:
        if doc and doc.symbol:
            raise QAPIError(doc.info,
                            "documentation for '%s' is not followed by the "
                            "definition" % doc.symbol)

    def _doc_block(self) -> List[Doc]:
        """Read a ``##`` ... ``##`` block into one or more Doc: a block
        of free-form documentation is cut before each heading."""
        toks = self.toks
        if toks[self.i].rstrip() != '##':
            raise self.error("junk after '##' at start of documentation "
                             "comment")
        info = self.base_info.at_line(self.line)
        lines: List[DocLine] = []
        append = lines.append
        line = self.line
        i = self.i + 1
        nl = self.line_tok - 1      # index of the last newline seen
        while True:
            t = toks[i]
            if t == '\n':
                line += 1
                nl = i
            elif t[:2] == '##':
                self.i, self.line, self.line_tok = i, line, nl + 1
                if t.rstrip() != '##':
                    raise self.error("junk after '##' at end of "
                                     "documentation comment")
                self.i += 1
                return self._split_docs(info, lines)
            elif t[:1] == '#':
                append((t, line))
            else:
                self.i, self.line, self.line_tok = i, line, nl + 1
                raise self.error("documentation comment must end with '##'")
            i += 1

    def _split_docs(self, info: SourceInfo, lines: List[DocLine]) -> List[Doc]:
        docs = []
        start = 0
        for n, (text, line) in enumerate(lines):
            if text.startswith('# =') and n > start:
                if lines[start][0].startswith('# @'):
                    raise self.doc_error(line, "unexpected '=' markup in "
                                         "definition documentation")
                docs.append(Doc.parse(self, info, lines[start:n]))
                info = self.base_info.at_line(line)
                start = n
        docs.append(Doc.parse(self, info, lines[start:]))
        return docs


def _expanded_column(text: str, pos: int) -> int:
    """1-based column of text[pos], with tab stops every 8 columns."""
    col = 1
    for ch in text[:pos]:
        col = ((col - 1) // 8 + 1) * 8 + 1 if ch == '\t' else col + 1
    return col


def _odd_escape(t: str) -> bool:
    """Whether the quote ending t is escaped by an odd run of '\\'."""
    n = len(t) - 2
    count = 0
    while n > 0 and t[n] == '\\':
        count += 1
        n -= 1
    return count % 2 == 1
