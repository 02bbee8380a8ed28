"""The schema model: definitions, their members, and their checks.

Every entity is created from a checked expression, then ``check()``
resolves the names it refers to and applies the rules that need other
definitions.  Entities are checked in definition order; an object type
checks its base first, which is how a base cycle is found.
"""

from typing import (TYPE_CHECKING, Any, Dict, Iterator, List, Optional,
                    Sequence, Union)

from ..cnames import c_name
from .doc import Doc
from .source import QAPIError, SourceInfo

if TYPE_CHECKING:
    from .schema import Schema

# Conditions: a macro name, or {'all': [...]}, {'any': [...]}, {'not': c}
Cond = Union[str, Dict[str, Any]]


class IfCond:
    """The 'if' condition of an entity or member (None: unconditional)."""

    __slots__ = ('cond',)

    def __init__(self, cond: Optional[Cond] = None) -> None:
        self.cond = cond

    def __bool__(self) -> bool:
        return self.cond is not None

    def cgen(self) -> str:
        """The condition as a C preprocessor expression."""
        return _cgen(self.cond) if self.cond is not None else ''

    def json(self) -> Optional[Cond]:
        return self.cond


def _cgen(cond: Cond) -> str:
    if isinstance(cond, str):
        return 'defined(%s)' % cond
    op, operand = next(iter(cond.items()))
    if op == 'not':
        return '!' + _cgen(operand)
    joiner = ' && ' if op == 'all' else ' || '
    return '(' + joiner.join(_cgen(c) for c in operand) + ')'


SPECIAL_FEATURES = ('deprecated', 'unstable')


class Member:
    """Something with a name inside a definition: an enum value, an
    object member, a union or alternate branch, or a feature."""

    role = 'member'
    __slots__ = ('name', 'info', 'ifcond', 'defined_in')

    def __init__(self, name: str, info: Optional[SourceInfo],
                 ifcond: IfCond) -> None:
        self.name = name
        self.info = info
        self.ifcond = ifcond
        self.defined_in = ''

    def c_name(self) -> str:
        return c_name(self.name)

    def describe(self, info: Optional[SourceInfo]) -> str:
        role = self.role
        meta = 'type'
        owner = self.defined_in
        if owner.startswith('q_obj_'):
            # Implicit types: name the definition they were made for.
            owner, _, kind = owner[6:].rpartition('-')
            if kind == 'arg':
                role, meta = 'parameter', 'command or event'
            else:
                role = 'base ' + role
        if info is not None and owner != info.defn_name:
            return "%s '%s' of %s '%s'" % (role, self.name, meta, owner)
        return "%s '%s'" % (role, self.name)

    def check_clash(self, info: Optional[SourceInfo],
                    seen: Dict[str, 'Member']) -> None:
        cname = c_name(self.name)
        other = seen.get(cname)
        if other is not None:
            raise QAPIError(info, '%s collides with %s'
                            % (self.describe(info), other.describe(info)))
        seen[cname] = self


class Feature(Member):
    role = 'feature'
    __slots__ = ()

    def describe(self, info: Optional[SourceInfo]) -> str:
        # Features are only compared within one definition or member.
        return "feature '%s'" % self.name

    def is_special(self) -> bool:
        return self.name in SPECIAL_FEATURES


class EnumMember(Member):
    role = 'value'
    __slots__ = ('features',)

    def __init__(self, name: str, info: Optional[SourceInfo], ifcond: IfCond,
                 features: Sequence[Feature] = ()) -> None:
        super().__init__(name, info, ifcond)
        self.features = list(features)


class ObjectMember(Member):
    __slots__ = ('type_name', 'type', 'optional', 'features')

    def __init__(self, name: str, info: Optional[SourceInfo], type_name: str,
                 optional: bool, ifcond: IfCond = IfCond(),
                 features: Sequence[Feature] = ()) -> None:
        super().__init__(name, info, ifcond)
        self.type_name = type_name
        self.type: 'Type' = None  # type: ignore[assignment]
        self.optional = optional
        self.features = list(features)

    def check(self, schema: 'Schema') -> None:
        self.type = schema.resolve_type(self.type_name, self.info,
                                        self.describe(self.info))


class Variant(Member):
    """A union or alternate branch."""

    role = 'branch'
    __slots__ = ('type_name', 'type')

    def __init__(self, name: str, info: Optional[SourceInfo], type_name: str,
                 ifcond: IfCond) -> None:
        super().__init__(name, info, ifcond)
        self.type_name = type_name
        self.type: 'Type' = None  # type: ignore[assignment]

    def check(self, schema: 'Schema') -> None:
        self.type = schema.resolve_type(self.type_name, self.info,
                                        self.describe(self.info))


class Entity:
    """A definition."""

    meta = ''
    __slots__ = ('name', 'info', 'doc', 'ifcond', 'features', 'module',
                 '_checked')

    def __init__(self, name: str, info: Optional[SourceInfo],
                 doc: Optional[Doc], ifcond: IfCond,
                 features: Sequence[Feature]) -> None:
        self.name = name
        self.info = info
        self.doc = doc
        self.ifcond = ifcond
        self.features = list(features)
        self.module = ''
        self._checked = False

    def c_name(self) -> str:
        return c_name(self.name)

    def is_implicit(self) -> bool:
        return self.info is None or self.name.startswith('q_obj_')

    def describe(self) -> str:
        return "%s '%s'" % (self.meta, self.name)

    def check(self, schema: 'Schema') -> None:
        seen: Dict[str, Member] = {}
        for f in self.features:
            f.check_clash(self.info, seen)

    def connect_doc(self) -> None:
        """Match the doc comment's member and feature descriptions."""
        doc = self.doc
        if doc:
            for f in self.features:
                doc.connect_feature(f.name, self.info or doc.info)
            self.connect_members(doc)
            doc.check()

    def connect_members(self, doc: Doc) -> None:
        pass

    def deprecated(self) -> bool:
        return any(f.name == 'deprecated' for f in self.features)


class Type(Entity):
    __slots__ = ()

    def check(self, schema: 'Schema') -> None:
        super().check(schema)
        for f in self.features:
            if f.is_special():
                raise QAPIError(self.info, "feature '%s' is not supported "
                                "for types" % f.name)

    def json_type(self) -> str:
        raise NotImplementedError

    def alternate_qtype(self) -> Optional[str]:
        """How an alternate tells this type on the wire, if it can."""
        return _JSON2QTYPE.get(self.json_type())


_JSON2QTYPE = {'null': 'QTYPE_QNULL', 'string': 'QTYPE_QSTRING',
               'number': 'QTYPE_QNUM', 'int': 'QTYPE_QNUM',
               'boolean': 'QTYPE_QBOOL', 'array': 'QTYPE_QLIST',
               'object': 'QTYPE_QDICT'}


class BuiltinType(Type):
    meta = 'built-in'
    __slots__ = ('_json_type', 'c_type_name')

    def __init__(self, name: str, json_type: str, c_type: str) -> None:
        super().__init__(name, None, None, IfCond(), ())
        self._json_type = json_type
        self.c_type_name = c_type

    def json_type(self) -> str:
        return self._json_type

    def alternate_qtype(self) -> Optional[str]:
        if self.name == 'any':
            return None
        return super().alternate_qtype()


class EnumType(Type):
    meta = 'enum'
    __slots__ = ('members', 'prefix')

    def __init__(self, name: str, info: Optional[SourceInfo],
                 doc: Optional[Doc], ifcond: IfCond,
                 features: Sequence[Feature], members: List[EnumMember],
                 prefix: Optional[str]) -> None:
        super().__init__(name, info, doc, ifcond, features)
        for m in members:
            m.defined_in = name
        self.members = members
        self.prefix = prefix

    def check(self, schema: 'Schema') -> None:
        super().check(schema)
        seen: Dict[str, Member] = {}
        for m in self.members:
            m.check_clash(self.info, seen)
            fseen: Dict[str, Member] = {}
            for f in m.features:
                f.check_clash(self.info, fseen)

    def connect_members(self, doc: Doc) -> None:
        for m in self.members:
            doc.connect_member(m.name)
            for f in m.features:
                doc.connect_feature(f.name, self.info or doc.info)

    def member_names(self) -> List[str]:
        return [m.name for m in self.members]

    def json_type(self) -> str:
        return 'string'


class ArrayType(Type):
    meta = 'array'
    __slots__ = ('element_type_name', 'element_type')

    def __init__(self, name: str, info: Optional[SourceInfo],
                 element_type_name: str) -> None:
        super().__init__(name, info, None, IfCond(), ())
        self.element_type_name = element_type_name
        self.element_type: Type = None  # type: ignore[assignment]

    def is_implicit(self) -> bool:
        return True

    def check(self, schema: 'Schema') -> None:
        if self.element_type is None:
            self.element_type = schema.resolve_type(
                self.element_type_name, self.info,
                self.info.defn_meta if self.info else None)
        self.ifcond = self.element_type.ifcond

    def describe(self) -> str:
        return "array of '%s'" % self.element_type_name

    def json_type(self) -> str:
        return 'array'


class Variants:
    """The branches of a union (selected by the discriminator member
    tag_name) or of an alternate (tag_member is the implicit 'type')."""

    __slots__ = ('tag_name', 'tag_member', 'variants', 'info')

    def __init__(self, tag_name: Optional[str], info: Optional[SourceInfo],
                 tag_member: Optional[ObjectMember],
                 variants: List[Variant]) -> None:
        self.tag_name = tag_name
        self.info = info
        self.tag_member: ObjectMember = tag_member  # type: ignore[assignment]
        self.variants = variants

    def set_defined_in(self, name: str) -> None:
        for v in self.variants:
            v.defined_in = name

    def check(self, schema: 'Schema', seen: Dict[str, Member]) -> None:
        if self.tag_name is not None:
            self._check_discriminator(seen)
        else:
            self.tag_member.check(schema)
        for v in self.variants:
            v.check(schema)
            if self.tag_name is None:
                continue
            enum = self.tag_member.type
            assert isinstance(enum, EnumType)
            if v.name not in enum.member_names():
                raise QAPIError(self.info, "branch '%s' is not a value of %s"
                                % (v.name, enum.describe()))
            if not isinstance(v.type, ObjectType) or v.type.variants:
                raise QAPIError(self.info, '%s cannot use %s'
                                % (v.describe(self.info), v.type.describe()))
            v.type.check(schema)

    def _check_discriminator(self, seen: Dict[str, Member]) -> None:
        tag = seen.get(c_name(self.tag_name or ''))
        if not isinstance(tag, ObjectMember) or tag.name != self.tag_name:
            raise QAPIError(self.info, "discriminator '%s' is not a member "
                            "of 'base'" % self.tag_name)
        self.tag_member = tag
        if not isinstance(tag.type, EnumType):
            raise QAPIError(self.info, "discriminator member '%s' of 'base' "
                            "must be of enum type" % tag.name)
        if tag.optional:
            raise QAPIError(self.info, "discriminator member '%s' of 'base' "
                            "must not be optional" % tag.name)
        if tag.ifcond:
            raise QAPIError(self.info, "discriminator member '%s' of 'base' "
                            "must not be conditional" % tag.name)

    def check_clash(self, info: Optional[SourceInfo],
                    seen: Dict[str, Member]) -> None:
        for v in self.variants:
            # A branch's members must not clash with the common ones.
            assert isinstance(v.type, ObjectType)
            v.type.check_clash(info, dict(seen))


class ObjectType(Type):
    """A struct, or a union (with variants)."""

    __slots__ = ('base_name', 'base', 'local_members', 'variants', 'members',
                 '_checking')

    def __init__(self, name: str, info: Optional[SourceInfo],
                 doc: Optional[Doc], ifcond: IfCond,
                 features: Sequence[Feature], base_name: Optional[str],
                 local_members: List[ObjectMember],
                 variants: Optional[Variants]) -> None:
        super().__init__(name, info, doc, ifcond, features)
        self.base_name = base_name
        self.base: Optional[ObjectType] = None
        for m in local_members:
            m.defined_in = name
        if variants:
            variants.set_defined_in(name)
        self.local_members = local_members
        self.variants = variants
        self.members: List[ObjectMember] = []
        self._checking = False

    @property
    def meta(self) -> str:  # type: ignore[override]
        return 'union' if self.variants else 'struct'

    def check(self, schema: 'Schema') -> None:
        # Bases first, deepest first.  A loop rather than recursion: a
        # chain of bases may be long.
        chain: List[ObjectType] = []
        t: Optional[ObjectType] = self
        while t is not None and not t._checked:
            if t._checking:
                raise QAPIError(t.info, "object %s contains itself" % t.name)
            t._checking = True
            chain.append(t)
            t = t._resolve_base(schema)
        for t in reversed(chain):
            t._check_own(schema)

    def _resolve_base(self, schema: 'Schema') -> Optional['ObjectType']:
        if self.base_name:
            base = schema.resolve_type(self.base_name, self.info, "'base'")
            if not isinstance(base, ObjectType) or base.variants:
                raise QAPIError(self.info, "'base' requires a struct type, "
                                "%s isn't" % base.describe())
            self.base = base
        return self.base

    def _check_own(self, schema: 'Schema') -> None:
        super().check(schema)
        seen: Dict[str, Member] = {}
        members: List[ObjectMember] = []
        base = self.base
        if base:
            for m in base.members:
                m.check_clash(self.info, seen)
            members = list(base.members)
        for m in self.local_members:
            m.check(schema)
            m.check_clash(self.info, seen)
            fseen: Dict[str, Member] = {}
            for f in m.features:
                f.check_clash(self.info, fseen)
        self.members = members + self.local_members
        if self.variants:
            self.variants.check(schema, seen)
            self.variants.check_clash(self.info, seen)
        self._checking = False
        self._checked = True

    def check_clash(self, info: Optional[SourceInfo],
                    seen: Dict[str, Member]) -> None:
        assert not self.variants
        for m in self.members:
            m.check_clash(info, seen)

    def connect_members(self, doc: Doc) -> None:
        if self.base and self.base.is_implicit():
            self.base.connect_members(doc)
        for m in self.local_members:
            doc.connect_member(m.name)
            for f in m.features:
                doc.connect_feature(f.name, self.info or doc.info)

    def has_conditional_members(self) -> bool:
        return any(m.ifcond for m in self.members)

    def is_empty(self) -> bool:
        return not self.members and not self.variants

    def json_type(self) -> str:
        return 'object'


class AlternateType(Type):
    meta = 'alternate'
    __slots__ = ('variants',)

    def __init__(self, name: str, info: Optional[SourceInfo],
                 doc: Optional[Doc], ifcond: IfCond,
                 features: Sequence[Feature], variants: Variants) -> None:
        super().__init__(name, info, doc, ifcond, features)
        variants.set_defined_in(name)
        self.variants = variants

    def check(self, schema: 'Schema') -> None:
        super().check(schema)
        self.variants.tag_member.defined_in = self.name
        self.variants.check(schema, {})
        seen: Dict[str, Member] = {}
        kinds: Dict[str, str] = {}
        for v in self.variants.variants:
            v.check_clash(self.info, seen)
            qtype = v.type.alternate_qtype()
            if not qtype:
                raise QAPIError(self.info, '%s cannot use %s'
                                % (v.describe(self.info), v.type.describe()))
            for kind in _conflicting_qtypes(v.type, qtype):
                if kind in kinds:
                    raise QAPIError(self.info, "%s can't be distinguished "
                                    "from '%s'" % (v.describe(self.info),
                                                   kinds[kind]))
                kinds[kind] = v.name

    def connect_members(self, doc: Doc) -> None:
        for v in self.variants.variants:
            doc.connect_member(v.name)

    def json_type(self) -> str:
        return 'value'


def _conflicting_qtypes(typ: Type, qtype: str) -> Iterator[str]:
    """The wire types a branch claims.  A string branch also claims what
    a keyval or command-line parser could read its values as: numbers,
    and 'on'/'off' booleans."""
    yield qtype
    if qtype != 'QTYPE_QSTRING':
        return
    if isinstance(typ, EnumType):
        names = typ.member_names()
        if any(n in ('on', 'off') for n in names):
            yield 'QTYPE_QBOOL'
        if any(n[:1] in '-+0123456789.' for n in names):
            yield 'QTYPE_QNUM'
    else:
        yield 'QTYPE_QNUM'
        yield 'QTYPE_QBOOL'


class Command(Entity):
    meta = 'command'
    __slots__ = ('arg_type_name', 'arg_type', 'ret_type_name', 'ret_type',
                 'gen', 'success_response', 'boxed', 'allow_oob',
                 'allow_preconfig', 'coroutine')

    def __init__(self, name: str, info: Optional[SourceInfo],
                 doc: Optional[Doc], ifcond: IfCond,
                 features: Sequence[Feature], arg_type_name: Optional[str],
                 ret_type_name: Optional[str], flags: Dict[str, bool]) -> None:
        super().__init__(name, info, doc, ifcond, features)
        self.arg_type_name = arg_type_name
        self.arg_type: Optional[ObjectType] = None
        self.ret_type_name = ret_type_name
        self.ret_type: Optional[Type] = None
        self.gen = flags.get('gen', True)
        self.success_response = flags.get('success-response', True)
        self.boxed = flags.get('boxed', False)
        self.allow_oob = flags.get('allow-oob', False)
        self.allow_preconfig = flags.get('allow-preconfig', False)
        self.coroutine = flags.get('coroutine', False)

    def check(self, schema: 'Schema') -> None:
        super().check(schema)
        self.arg_type = _check_arg_type(self, schema, self.boxed)
        if self.ret_type_name:
            assert self.info
            self.ret_type = schema.resolve_type(
                self.ret_type_name, self.info, "command's 'returns'")
            if self.name not in self.info.pragma.command_returns_exceptions:
                typ = self.ret_type
                if isinstance(typ, ArrayType):
                    typ = typ.element_type
                if not isinstance(typ, ObjectType):
                    raise QAPIError(self.info, "command's 'returns' cannot "
                                    "take %s" % self.ret_type.describe())

    def connect_members(self, doc: Doc) -> None:
        if self.arg_type and self.arg_type.is_implicit():
            self.arg_type.connect_members(doc)


class Event(Entity):
    meta = 'event'
    __slots__ = ('arg_type_name', 'arg_type', 'boxed')

    def __init__(self, name: str, info: Optional[SourceInfo],
                 doc: Optional[Doc], ifcond: IfCond,
                 features: Sequence[Feature], arg_type_name: Optional[str],
                 boxed: bool) -> None:
        super().__init__(name, info, doc, ifcond, features)
        self.arg_type_name = arg_type_name
        self.arg_type: Optional[ObjectType] = None
        self.boxed = boxed

    def check(self, schema: 'Schema') -> None:
        super().check(schema)
        self.arg_type = _check_arg_type(self, schema, self.boxed)

    def connect_members(self, doc: Doc) -> None:
        if self.arg_type and self.arg_type.is_implicit():
            self.arg_type.connect_members(doc)


def _check_arg_type(ent: Union[Command, Event], schema: 'Schema',
                    boxed: bool) -> Optional[ObjectType]:
    if not ent.arg_type_name:
        return None
    what = "%s's 'data'" % ent.meta
    typ = schema.resolve_type(ent.arg_type_name, ent.info, what)
    if not isinstance(typ, ObjectType):
        raise QAPIError(ent.info, '%s cannot take %s' % (what, typ.describe()))
    typ.check(schema)
    if typ.variants and not boxed:
        raise QAPIError(ent.info, "%s can take %s only with 'boxed': true"
                        % (what, typ.describe()))
    if typ.has_conditional_members() and not boxed:
        raise QAPIError(ent.info, "conditional %s arguments require "
                        "'boxed': true" % ent.meta)
    return typ
