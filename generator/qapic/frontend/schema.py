"""The checked schema: every definition as an entity, and its modules.

``Schema(fname)`` runs the whole front-end: parse (with includes), check
every expression's shape, build the entities, then check them against
each other.  Any problem raises QAPIError.
"""

import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..cnames import c_name
from .expr import check_expr
from .parser import Expr, SchemaParser
from .source import QAPIError, SourceInfo
from .doc import Doc
from .entities import (AlternateType, ArrayType, BuiltinType, Command, Entity,
                       EnumMember, EnumType, Event, Feature, IfCond,
                       ObjectMember, ObjectType, Type, Variant, Variants)

BUILTIN_MODULE = './builtin'

# name, JSON type, C type
BUILTIN_TYPES: Sequence[Tuple[str, str, str]] = (
    ('str', 'string', 'char *'),
    ('number', 'number', 'double'),
    ('int', 'int', 'int64_t'),
    ('int8', 'int', 'int8_t'),
    ('int16', 'int', 'int16_t'),
    ('int32', 'int', 'int32_t'),
    ('int64', 'int', 'int64_t'),
    ('uint8', 'int', 'uint8_t'),
    ('uint16', 'int', 'uint16_t'),
    ('uint32', 'int', 'uint32_t'),
    ('uint64', 'int', 'uint64_t'),
    ('size', 'int', 'uint64_t'),
    ('bool', 'boolean', 'bool'),
    ('null', 'null', 'QapiNull *'),
    ('any', 'value', 'json_t *'),
)

QTYPE_MEMBERS = ('none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool')


class Schema:
    def __init__(self, fname: str) -> None:
        parser = SchemaParser(fname)
        self.fname = fname
        self.files = parser.files
        self.docs: List[Doc] = parser.docs
        self.entities: List[Entity] = []
        self.modules: List[str] = [BUILTIN_MODULE]
        # module -> the modules its include directives name
        self.includes: Dict[str, List[str]] = {}
        self._dir = os.path.dirname(fname)
        self._by_name: Dict[str, Entity] = {}
        self._c_names: Dict[Tuple[str, str], Entity] = {}
        self._module_names: Dict[str, str] = {}
        metas = [check_expr(elem) for elem in parser.exprs]
        self._def_builtins()
        self._add_module(fname)
        for meta, elem in zip(metas, parser.exprs):
            if meta is None:
                self._add_include(elem.info.fname, elem.expr['include'])
            else:
                self._def_definition(meta, elem)
        self._check()

    # Lookup

    def lookup_entity(self, name: str) -> Optional[Entity]:
        return self._by_name.get(name)

    def lookup_type(self, name: str) -> Optional[Type]:
        ent = self._by_name.get(name)
        return ent if isinstance(ent, Type) else None

    def resolve_type(self, name: str, info: Optional[SourceInfo],
                     what: Optional[str]) -> Type:
        typ = self.lookup_type(name)
        if typ is None:
            raise QAPIError(info, "%s uses unknown type '%s'" % (what, name))
        if isinstance(typ, ArrayType):
            if typ.element_type is None:
                typ.element_type = self.resolve_type(typ.element_type_name,
                                                     info, what)
            if isinstance(typ.element_type, ArrayType):
                raise QAPIError(info, '%s cannot use an array of arrays'
                                % what)
        return typ

    def module_of(self, ent: Entity) -> str:
        return ent.module

    # Definitions

    def _add_module(self, fname: str) -> None:
        name = self._module_name(fname)
        if name not in self.modules:
            self.modules.append(name)

    def _add_include(self, includer: str, fname: str) -> None:
        self._add_module(fname)
        edges = self.includes.setdefault(self._module_name(includer), [])
        name = self._module_name(fname)
        if name not in edges:
            edges.append(name)

    def _module_name(self, fname: str) -> str:
        name = self._module_names.get(fname)
        if name is None:
            name = os.path.normpath(os.path.relpath(fname, self._dir or '.'))
            self._module_names[fname] = name
        return name

    def _def_entity(self, ent: Entity) -> None:
        other = self._by_name.get(ent.name)
        if other is not None:
            if other.info is None:
                raise QAPIError(ent.info, '%s is already defined'
                                % other.describe())
            raise QAPIError(ent.info, "'%s' is already defined\n%s: "
                            "previous definition" % (ent.name, other.info.loc()))
        namespace = 'type' if isinstance(ent, Type) else ent.meta
        key = (namespace, c_name(ent.name))
        other = self._c_names.get(key)
        if other is not None:
            raise QAPIError(ent.info, "%s clashes with %s: both are '%s' in C"
                            % (ent.describe(), other.describe(), key[1]))
        self._c_names[key] = ent
        self._by_name[ent.name] = ent
        self.entities.append(ent)
        if ent.info is None:
            ent.module = BUILTIN_MODULE
        else:
            ent.module = self._module_name(ent.info.fname)

    def _def_builtins(self) -> None:
        for name, json_type, c_type in BUILTIN_TYPES:
            self._def_entity(BuiltinType(name, json_type, c_type))
        self._def_entity(EnumType(
            'QType', None, None, IfCond(), (),
            [EnumMember(m, None, IfCond()) for m in QTYPE_MEMBERS], 'QTYPE'))
        for name, _, _ in BUILTIN_TYPES:
            self._make_array_type(name, None)
        self._make_array_type('QType', None)

    def _make_array_type(self, element: str, info: Optional[SourceInfo]) -> str:
        name = element + 'List'
        if name not in self._by_name:
            self._def_entity(ArrayType(name, info, element))
        return name

    def _type_ref(self, ref: Any, info: SourceInfo) -> str:
        """The type name for a reference 'T' or ['T']."""
        if isinstance(ref, list):
            return self._make_array_type(ref[0], info)
        return str(ref)

    def _make_features(self, features: Optional[List[Dict[str, Any]]],
                       info: SourceInfo) -> List[Feature]:
        return [Feature(f['name'], info, IfCond(f.get('if')))
                for f in features or ()]

    def _make_members(self, data: Dict[str, Any],
                      info: SourceInfo) -> List[ObjectMember]:
        members = []
        for key, value in data.items():
            typ = self._type_ref(value['type'], info)
            optional = key.startswith('*')
            members.append(ObjectMember(
                key[1:] if optional else key, info, typ, optional,
                IfCond(value.get('if')),
                self._make_features(value.get('features'), info)))
        return members

    def _make_implicit_type(self, name: str, info: SourceInfo, ifcond: IfCond,
                            role: str, data: Dict[str, Any]) -> Optional[str]:
        """The type holding a union's inline base or a command's or
        event's inline arguments; None when there are no members."""
        if not data:
            return None
        name = 'q_obj_%s-%s' % (name, role)
        self._def_entity(ObjectType(name, info, None, ifcond, (), None,
                                    self._make_members(data, info), None))
        return name

    def _def_definition(self, meta: str, elem: Expr) -> None:
        expr, info, doc = elem.expr, elem.info, elem.doc
        name = expr[meta]
        ifcond = IfCond(expr.get('if'))
        features = self._make_features(expr.get('features'), info)
        ent: Entity
        if meta == 'enum':
            ent = EnumType(
                name, info, doc, ifcond, features,
                [EnumMember(m['name'], info, IfCond(m.get('if')),
                            self._make_features(m.get('features'), info))
                 for m in expr['data']],
                expr.get('prefix'))
        elif meta == 'struct':
            ent = ObjectType(name, info, doc, ifcond, features,
                             expr.get('base'),
                             self._make_members(expr['data'], info), None)
        elif meta == 'union':
            base = expr['base']
            if isinstance(base, dict):
                base = self._make_implicit_type(name, info, ifcond, 'base',
                                                base)
            variants = [Variant(key, info, value['type'],
                                IfCond(value.get('if')))
                        for key, value in expr['data'].items()]
            ent = ObjectType(name, info, doc, ifcond, features, base, [],
                             Variants(expr['discriminator'], info, None,
                                      variants))
        elif meta == 'alternate':
            variants = [Variant(key, info, self._type_ref(value['type'], info),
                                IfCond(value.get('if')))
                        for key, value in expr['data'].items()]
            tag = ObjectMember('type', info, 'QType', False)
            ent = AlternateType(name, info, doc, ifcond, features,
                                Variants(None, info, tag, variants))
        elif meta == 'command':
            data = expr.get('data')
            if isinstance(data, dict):
                data = self._make_implicit_type(name, info, ifcond, 'arg',
                                                data)
            rets = expr.get('returns')
            if rets is not None:
                rets = self._type_ref(rets, info)
            ent = Command(name, info, doc, ifcond, features, data, rets, expr)
        else:
            data = expr.get('data')
            if isinstance(data, dict):
                data = self._make_implicit_type(name, info, ifcond, 'arg',
                                                data)
            ent = Event(name, info, doc, ifcond, features, data,
                        expr.get('boxed', False))
        self._def_entity(ent)

    # Checks

    def _check(self) -> None:
        # Array types last: their element types are best resolved (and
        # reported) through the member or definition that uses them.
        for ent in self.entities:
            if not isinstance(ent, ArrayType):
                ent.check(self)
        for ent in self.entities:
            if isinstance(ent, ArrayType):
                ent.check(self)
        for ent in self.entities:
            ent.connect_doc()
        for ent in self.entities:
            if isinstance(ent, ArrayType):
                ent.module = ent.element_type.module
