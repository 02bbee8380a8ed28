"""Documentation comments.

A definition's documentation names the definition on its first line
(``# @Name:``), then has an optional overview, a description per member
(``# @member: text``), a ``Features:`` part with a description per
feature, and tagged sections (``Returns:``, ``Since:``, ``Note:``, ...).
Anything else is free-form documentation.

Continuation lines are meant to be indented, but a missing indent is
accepted: it changes nothing about what the comment documents.
"""

from typing import Callable, Dict, List, Optional, Protocol, Tuple

from .source import QAPIError, SourceInfo

DocLine = Tuple[str, int]        # the comment's text, its line

TAGS = frozenset(('Returns:', 'Since:', 'Note:', 'Notes:', 'Example:',
                  'Examples:', 'TODO:'))


class _ErrorSink(Protocol):
    def doc_error(self, line: int, msg: str) -> QAPIError: ...


class Section:
    """A piece of documentation: the body, a member's or feature's
    description (then ``member`` is the name), or a tagged section."""

    __slots__ = ('name', 'lines', 'text', 'line', 'connected')

    def __init__(self, name: Optional[str], line: int) -> None:
        self.name = name
        self.lines: List[str] = []
        self.text = ''          # the lines, joined when the section ends
        self.line = line
        self.connected = False

    def ends_paragraph(self) -> bool:
        return len(self.lines) > 1 and not self.lines[-1]


class Doc:
    """A documentation comment block."""

    __slots__ = ('info', 'symbol', 'body', 'args', 'features', 'sections')

    def __init__(self, info: SourceInfo) -> None:
        self.info = info
        self.symbol: Optional[str] = None
        self.body = Section(None, info.line or 0)
        self.args: Dict[str, Section] = {}
        self.features: Dict[str, Section] = {}
        self.sections: List[Section] = []

    def has_section(self, name: str) -> bool:
        return any(s.name == name for s in self.sections)

    @classmethod
    def parse(cls, sink: _ErrorSink, info: SourceInfo,
              lines: List[DocLine]) -> 'Doc':
        doc = cls(info)
        _DocReader(doc, sink).read(lines)
        return doc

    # Checks against the definition, once the schema is known

    def check_definition(self, meta: str, info: SourceInfo) -> None:
        if self.has_section('Returns') and meta != 'command':
            raise QAPIError(self.info, "'Returns:' is only valid for commands")

    def connect_member(self, name: str) -> None:
        section = self.args.get(name)
        if section:
            section.connected = True

    def connect_feature(self, name: str, info: SourceInfo) -> None:
        section = self.features.get(name)
        if section is None:
            raise QAPIError(info, "feature '%s' lacks documentation" % name)
        section.connected = True

    def check(self) -> None:
        for what, sections in (('member', self.args),
                               ('feature', self.features)):
            bogus = [name for name, s in sections.items() if not s.connected]
            if bogus:
                raise QAPIError(
                    self.info, "documented %s%s '%s' %s not exist"
                    % (what, 's' if len(bogus) > 1 else '',
                       "', '".join(bogus), 'do' if len(bogus) > 1 else 'does'))


class _DocReader:
    """The line-by-line state machine that fills a Doc."""

    def __init__(self, doc: Doc, sink: _ErrorSink) -> None:
        self.doc = doc
        self.sink = sink
        self.section = doc.body
        self.line = 0
        self.handle: Callable[[str], None] = self._body

    def error(self, msg: str) -> QAPIError:
        return self.sink.doc_error(self.line, msg)

    def read(self, lines: List[DocLine]) -> None:
        for raw, self.line in lines:
            if raw[1:2] == ' ':
                text = raw[2:].rstrip()
            elif len(raw) == 1:
                text = ''
            else:
                raise self.error('missing space after #')
            # Blank and indented lines only continue what came before:
            # '#  @foo:' is text, not a description.  Most lines are so.
            if not text or text[0] == ' ':
                self.section.lines.append(text)
            else:
                self.handle(text)
        self._end_section()

    # States

    def _body(self, text: str) -> None:
        doc = self.doc
        if not doc.symbol and not doc.body.lines and text.startswith('@'):
            if not text.endswith(':'):
                raise self.error("line should end with ':'")
            doc.symbol = text[1:-1]
            if not doc.symbol:
                raise self.error("name required after '@'")
            return
        if doc.symbol:
            word = text.split(' ', 1)[0]
            if word.startswith('@') and word.endswith(':'):
                self.handle = self._args
                self._args(text)
                return
            if text == 'Features:':
                self.handle = self._features
                return
            if word in TAGS:
                self.handle = self._tagged
                self._tagged(text)
                return
        self._freeform(text)

    def _args(self, text: str) -> None:
        self._described(text, self.doc.args)

    def _features(self, text: str) -> None:
        self._described(text, self.doc.features)

    def _described(self, text: str, symbols: Dict[str, Section]) -> None:
        word = text.split(' ', 1)[0]
        if word.startswith('@') and word.endswith(':'):
            self._start_symbol(symbols, word[1:-1])
            text = text[len(word):]
        elif word in TAGS:
            self.handle = self._tagged
            self._tagged(text)
            return
        elif self.section.ends_paragraph():
            # A paragraph after a blank line ends the descriptions.
            if text == 'Features:' and symbols is self.doc.args:
                self.handle = self._features
                return
            self._start_section(None)
            self.handle = self._tagged
        self._freeform(text)

    def _tagged(self, text: str) -> None:
        word = text.split(' ', 1)[0]
        if word.startswith('@') and word.endswith(':'):
            raise self.error("'%s' can't follow '%s' section"
                             % (word, self.section.name or 'text'))
        if word in TAGS:
            self._start_section(word[:-1])
            text = text[len(word):]
        self._freeform(text)

    # Sections

    def _freeform(self, text: str) -> None:
        if text.startswith('@'):
            word = text.split(' ', 1)[0]
            if word.endswith(':') and len(word) > 2:
                raise self.error("'%s' not allowed in free-form documentation"
                                 % word)
        self.section.lines.append(text)

    def _start_symbol(self, symbols: Dict[str, Section], name: str) -> None:
        if not name:
            raise self.error('invalid parameter name')
        if name in symbols:
            raise self.error("'%s' parameter name duplicated" % name)
        self._end_section()
        self.section = symbols[name] = Section(name, self.line)

    def _start_section(self, name: Optional[str]) -> None:
        if name in ('Returns', 'Since') and self.doc.has_section(name):
            raise self.error("duplicated '%s' section" % name)
        self._end_section()
        self.section = Section(name, self.line)
        self.doc.sections.append(self.section)

    def _end_section(self) -> None:
        section = self.section
        section.text = '\n'.join(section.lines).strip()
        if section.name and not section.text:
            raise self.sink.doc_error(section.line, "empty doc section '%s'"
                                      % section.name)
