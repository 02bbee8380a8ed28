"""The schema's types compiled into value checkers.

Every type becomes a function from a parsed JSON value to None (valid)
or a list of problems, each a member path relative to the value (''
for the value itself) and a message.  Paths are only built on the way
out of a failing check, so a valid message costs no string work.
Checkers are compiled once per type, on first use.
"""

from typing import Any, Callable, Dict, FrozenSet, List, Optional, Tuple

from ..frontend.entities import (AlternateType, ArrayType, BuiltinType,
                                 EnumType, IfCond, ObjectMember, ObjectType,
                                 Type)

Problem = Tuple[str, str]
Problems = Optional[List[Problem]]
Check = Callable[[Any], Problems]

_KINDS = {dict: 'object', list: 'array', str: 'string', int: 'number',
          float: 'number', bool: 'boolean', type(None): 'null'}

# What an alternate branch of each type accepts on the wire: QEMU's
# input visitor picks the branch by the JSON type alone.
_ALT_KINDS = {'string': (str,), 'int': (int,), 'number': (int, float),
              'boolean': (bool,), 'null': (type(None),), 'object': (dict,),
              'array': (list,)}

_INT_RANGES = {
    'int': (-1 << 63, (1 << 63) - 1), 'int64': (-1 << 63, (1 << 63) - 1),
    'int8': (-1 << 7, (1 << 7) - 1), 'int16': (-1 << 15, (1 << 15) - 1),
    'int32': (-1 << 31, (1 << 31) - 1),
    'uint8': (0, (1 << 8) - 1), 'uint16': (0, (1 << 16) - 1),
    'uint32': (0, (1 << 32) - 1), 'uint64': (0, (1 << 64) - 1),
    'size': (0, (1 << 64) - 1),
}


def json_kind(value: Any) -> str:
    return _KINDS.get(type(value), 'value')


def mismatch(expected: str, value: Any) -> List[Problem]:
    return [('', 'expected %s, got %s' % (expected, json_kind(value)))]


def under(name: str, problems: List[Problem]) -> List[Problem]:
    """problems of a member (or '[i]' element) of the value checked."""
    out = []
    for path, msg in problems:
        if not path:
            path = name
        elif path[0] == '[':
            path = name + path
        else:
            path = name + '.' + path
        out.append((path, msg))
    return out


class Conditions:
    """Which 'if' conditions hold: macros named with -D are defined,
    those named with -U are not, and any other is assumed defined
    unless unknown_true is false."""

    def __init__(self, defined: FrozenSet[str] = frozenset(),
                 undefined: FrozenSet[str] = frozenset(),
                 unknown_true: bool = True) -> None:
        self.defined = defined
        self.undefined = undefined
        self.unknown_true = unknown_true

    def holds(self, ifcond: IfCond) -> bool:
        return ifcond.cond is None or self._eval(ifcond.cond)

    def _eval(self, cond: Any) -> bool:
        if isinstance(cond, str):
            if cond in self.defined:
                return True
            if cond in self.undefined:
                return False
            return self.unknown_true
        op, operand = next(iter(cond.items()))
        if op == 'not':
            return not self._eval(operand)
        if op == 'all':
            return all(self._eval(c) for c in operand)
        return any(self._eval(c) for c in operand)


def _accept(value: Any) -> Problems:
    return None


def str_(value: Any) -> Problems:
    return None if type(value) is str else mismatch('string', value)


def _bool(value: Any) -> Problems:
    return None if type(value) is bool else mismatch('boolean', value)


def _null(value: Any) -> Problems:
    return None if value is None else mismatch('null', value)


def _number(value: Any) -> Problems:
    t = type(value)
    return None if t is int or t is float else mismatch('number', value)


def _int_check(name: str) -> Check:
    lo, hi = _INT_RANGES[name]

    def check(value: Any) -> Problems:
        if type(value) is not int:
            return mismatch('integer', value)
        if lo <= value <= hi:
            return None
        return [('', '%d is out of range for %s' % (value, name))]
    return check


class Checkers:
    """Checkers for the types of one schema, compiled on demand."""

    def __init__(self, conds: Conditions) -> None:
        self.conds = conds
        self._cache: Dict[str, Check] = {}

    def of(self, typ: Type) -> Check:
        check = self._cache.get(typ.name)
        if check is None:
            # A recursive type reaches itself while being compiled: the
            # placeholder forwards to the finished checker.
            slot: List[Check] = []
            self._cache[typ.name] = lambda v: slot[0](v)
            check = self._compile(typ)
            slot.append(check)
            self._cache[typ.name] = check
        return check

    def object_of(self, typ: ObjectType, open_: bool = False) -> Check:
        """typ's checker; open_: members beyond typ's are accepted (for
        'gen': false commands, whose handlers take any argument)."""
        if open_:
            return self.struct(self._members(typ.members), None)
        return self.of(typ)

    def _compile(self, typ: Type) -> Check:
        if isinstance(typ, BuiltinType):
            return self._builtin(typ.name)
        if isinstance(typ, EnumType):
            return self._enum(typ)
        if isinstance(typ, ArrayType):
            return self._array(self.of(typ.element_type))
        if isinstance(typ, AlternateType):
            return self._alternate(typ)
        assert isinstance(typ, ObjectType)
        if typ.variants:
            return self._union(typ)
        members = self._members(typ.members)
        return self.struct(members, frozenset(m[0] for m in members))

    @staticmethod
    def _builtin(name: str) -> Check:
        simple = {'str': str_, 'bool': _bool, 'null': _null,
                  'number': _number, 'any': _accept}
        return simple.get(name) or _int_check(name)

    def _enum(self, typ: EnumType) -> Check:
        values = frozenset(m.name for m in typ.members
                           if self.conds.holds(m.ifcond))
        what = typ.describe()

        def check(value: Any) -> Problems:
            if type(value) is not str:
                return mismatch('string', value)
            if value in values:
                return None
            return [('', "'%s' is not a value of %s" % (value, what))]
        return check

    @staticmethod
    def _array(element: Check) -> Check:
        def check(value: Any) -> Problems:
            if type(value) is not list:
                return mismatch('array', value)
            out: Problems = None
            for i, elt in enumerate(value):
                bad = element(elt)
                if bad:
                    out = (out or []) + under('[%d]' % i, bad)
            return out
        return check

    def _members(self, members: List[ObjectMember]
                 ) -> List[Tuple[str, Check, bool]]:
        return [(m.name, self.of(m.type), m.optional)
                for m in members if self.conds.holds(m.ifcond)]

    @staticmethod
    def struct(members: List[Tuple[str, Check, bool]],
               known: Optional[FrozenSet[str]],
               extra: FrozenSet[str] = frozenset()) -> Check:
        """Members checked; keys outside known reported (known None:
        accepted), except those in extra (another branch's members,
        when the branch is unknown: reported as such already)."""
        def check(value: Any) -> Problems:
            if type(value) is not dict:
                return mismatch('object', value)
            out: Problems = None
            for name, mcheck, optional in members:
                if name in value:
                    bad = mcheck(value[name])
                    if bad:
                        out = (out or []) + under(name, bad)
                elif not optional:
                    out = (out or []) + [(name, 'required member missing')]
            if known is not None and not known.issuperset(value):
                out = out or []
                for key in value:
                    if key not in known and key not in extra:
                        out.append((key, 'unexpected member'))
            return out
        return check

    def _union(self, typ: ObjectType) -> Check:
        variants = typ.variants
        assert variants is not None
        tag = variants.tag_member.name
        base = self._members(typ.members)
        base_names = frozenset(m[0] for m in base)
        branches: Dict[str, Check] = {}
        every = set(base_names)
        for v in variants.variants:
            if not self.conds.holds(v.ifcond):
                continue
            assert isinstance(v.type, ObjectType)
            own = self._members(v.type.members)
            every.update(m[0] for m in own)
            branches[v.name] = self.struct(
                base + own, base_names | frozenset(m[0] for m in own))
        # A tag value without a branch: the base alone.
        plain = self.struct(base, base_names)
        # A bad or missing tag (reported by the base's check of it): no
        # branch to hold the other members to.
        unknown = self.struct(base, base_names, frozenset(every))
        tag_check = self.of(variants.tag_member.type)

        def check(value: Any) -> Problems:
            if type(value) is not dict:
                return mismatch('object', value)
            branch = value.get(tag)
            if type(branch) is str and branch in branches:
                return branches[branch](value)
            if tag_check(branch) is None:
                return plain(value)
            return unknown(value)
        return check

    def _alternate(self, typ: AlternateType) -> Check:
        by_kind: Dict[type, Check] = {}
        kinds = []
        for v in typ.variants.variants:
            if not self.conds.holds(v.ifcond):
                continue
            json_type = v.type.json_type()
            kinds.append('integer' if json_type == 'int' else json_type)
            for pytype in _ALT_KINDS[json_type]:
                by_kind[pytype] = self.of(v.type)
        if int in by_kind:
            # An integer branch takes every number: a fraction is then
            # its error, as in QEMU.
            by_kind.setdefault(float, by_kind[int])
        expected = '%s (%s)' % (' or '.join(kinds), typ.describe())

        def check(value: Any) -> Problems:
            branch = by_kind.get(type(value))
            if branch is None:
                return mismatch(expected, value)
            return branch(value)
        return check
