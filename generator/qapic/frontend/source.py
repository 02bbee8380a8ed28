"""Source locations and the errors that carry them."""

from typing import List, Optional


class Pragma:
    """Pragma settings.  One instance is shared by a schema and all the
    files it includes: pragmas apply to the whole schema."""

    __slots__ = ('doc_required', 'command_name_exceptions',
                 'command_returns_exceptions', 'member_name_exceptions')

    def __init__(self) -> None:
        self.doc_required = False
        self.command_name_exceptions: List[str] = []
        self.command_returns_exceptions: List[str] = []
        self.member_name_exceptions: List[str] = []


class SourceInfo:
    """Where something was defined: file, line, the include chain that
    led to the file, and the definition it belongs to (for context lines
    in error messages)."""

    __slots__ = ('fname', 'line', 'parent', 'pragma', 'defn_meta', 'defn_name')

    def __init__(self, fname: str, line: Optional[int],
                 parent: Optional['SourceInfo'], pragma: Pragma) -> None:
        self.fname = fname
        self.line = line
        self.parent = parent
        self.pragma = pragma
        self.defn_meta: Optional[str] = None
        self.defn_name: Optional[str] = None

    def at_line(self, line: int) -> 'SourceInfo':
        info = SourceInfo(self.fname, line, self.parent, self.pragma)
        return info

    def set_defn(self, meta: str, name: str) -> None:
        self.defn_meta = meta
        self.defn_name = name

    def loc(self) -> str:
        if self.line is None:
            return self.fname
        return '%s:%d' % (self.fname, self.line)

    def context(self) -> str:
        """Include chain and definition context, one line each."""
        lines: List[str] = []
        parent = self.parent
        while parent:
            lines.insert(0, 'In file included from %s:\n' % parent.loc())
            parent = parent.parent
        if self.defn_name:
            lines.append("%s: In %s '%s':\n"
                         % (self.fname, self.defn_meta, self.defn_name))
        return ''.join(lines)

    def __str__(self) -> str:
        return self.context() + self.loc()


class QAPIError(Exception):
    """An error in a schema.  ``str()`` gives the complete message,
    located as ``file:line[:col]: message``."""

    def __init__(self, info: Optional[SourceInfo], msg: str,
                 col: Optional[int] = None) -> None:
        super().__init__(msg)
        self.info = info
        self.msg = msg
        self.col = col

    def __str__(self) -> str:
        if self.info is None:
            return 'qapi-gen: %s' % self.msg
        loc = str(self.info)
        if self.col is not None:
            loc += ':%d' % self.col
        return '%s: %s' % (loc, self.msg)
