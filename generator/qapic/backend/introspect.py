"""qapi-introspect.{h,c}: the schema as query-qmp-schema returns it.

The SchemaInfo list follows QEMU: every command and event in schema
order, then every type they use, in order of first use.  Type names are
not ABI, so they are masked as numbers unless -u is given; all integer
types show as 'int'.  The list is static data (a QapiLit tree) in which
each conditional piece carries its own #if.
"""

from typing import Dict, List, Optional, Set, Union

from ..cnames import c_name
from ..frontend.entities import (AlternateType, ArrayType, BuiltinType,
                                 Command, Entity, EnumType, Event, Feature,
                                 IfCond, ObjectType, Type)
from ..frontend.schema import Schema
from .gen import CFile, c_string, cgen, guard

_EMPTY = 'q_empty'      # the type of a command's missing arguments


class Cond:
    """A list element present only when ifcond holds."""

    def __init__(self, ifcond: IfCond, value: 'Tree') -> None:
        self.ifcond = ifcond
        self.value = value


Tree = Union[None, bool, str, List['Tree'], Dict[str, 'Tree'], Cond]


class _Introspection:
    def __init__(self, schema: Schema, unmask: bool) -> None:
        self.schema = schema
        self.unmask = unmask
        self.names: Dict[str, str] = {}
        self.used: List[Union[Type, str]] = []      # the entries to write
        self._queued: Set[str] = set()

    def name(self, name: str) -> str:
        if self.unmask:
            return name
        if name not in self.names:
            self.names[name] = str(len(self.names))
        return self.names[name]

    def use(self, typ: Optional[Type]) -> str:
        """The name under which typ appears; queues its own entry."""
        if typ is None:
            if _EMPTY not in self._queued:
                self._queued.add(_EMPTY)
                self.used.append(_EMPTY)
            return self.name(_EMPTY)
        if typ.json_type() == 'int':
            typ = self.schema.lookup_type('int') or typ
        elif (isinstance(typ, ArrayType)
              and typ.element_type.json_type() == 'int'):
            typ = self.schema.lookup_type('intList') or typ
        if typ.name not in self._queued:
            self._queued.add(typ.name)
            self.used.append(typ)
        if isinstance(typ, BuiltinType):
            return typ.name
        if isinstance(typ, ArrayType):
            return '[' + self.use(typ.element_type) + ']'
        return self.name(typ.name)

    def entries(self) -> List[Tree]:
        out: List[Tree] = []
        for ent in self.schema.entities:
            if isinstance(ent, (Command, Event)):
                out.append(self.entity_entry(ent))
        i = 0
        while i < len(self.used):          # grows as types use types
            typ = self.used[i]
            i += 1
            out.append(self.type_entry(typ))
        return out

    def tree(self, name: str, meta: str, ent: Optional[Entity],
             obj: Dict[str, Tree]) -> Tree:
        node: Dict[str, Tree] = {'name': name, 'meta-type': meta}
        node.update(obj)
        if ent is not None and ent.features:
            node['features'] = features(ent.features)
        if ent is not None and ent.ifcond:
            return Cond(ent.ifcond, node)
        return node

    def entity_entry(self, ent: Union[Command, Event]) -> Tree:
        obj: Dict[str, Tree] = {'arg-type': self.use(ent.arg_type)}
        if isinstance(ent, Command):
            obj['ret-type'] = self.use(ent.ret_type)
            if ent.allow_oob:
                obj['allow-oob'] = True
        return self.tree(ent.name, ent.meta, ent, obj)

    def type_entry(self, typ: Union[Type, str]) -> Tree:
        if isinstance(typ, str):
            return self.tree(self.name(typ), 'object', None, {'members': []})
        if isinstance(typ, BuiltinType):
            return self.tree(typ.name, 'builtin', None,
                             {'json-type': typ.json_type()})
        name = self.use(typ)
        if isinstance(typ, EnumType):
            members: List[Tree] = [
                _cond(m.ifcond, _with_features({'name': m.name}, m.features))
                for m in typ.members]
            values: List[Tree] = [_cond(m.ifcond, m.name)
                                  for m in typ.members]
            return self.tree(name, 'enum', typ,
                             {'members': members, 'values': values})
        if isinstance(typ, ArrayType):
            return self.tree(name, 'array', typ,
                             {'element-type': self.use(typ.element_type)})
        if isinstance(typ, ObjectType):
            obj: Dict[str, Tree] = {'members': [
                _cond(m.ifcond, _with_features(
                    dict({'name': m.name, 'type': self.use(m.type)},
                         **({'default': None} if m.optional else {})),
                    m.features))
                for m in typ.members]}
            if typ.variants:
                obj['tag'] = typ.variants.tag_member.name
                obj['variants'] = [
                    _cond(v.ifcond, {'case': v.name,
                                     'type': self.use(v.type)})
                    for v in typ.variants.variants]
            return self.tree(name, 'object', typ, obj)
        assert isinstance(typ, AlternateType)
        return self.tree(name, 'alternate', typ, {'members': [
            _cond(v.ifcond, {'type': self.use(v.type)})
            for v in typ.variants.variants]})


def _cond(ifcond: IfCond, value: Tree) -> Tree:
    return Cond(ifcond, value) if ifcond else value


def features(feats: List[Feature]) -> List[Tree]:
    return [_cond(f.ifcond, f.name) for f in feats]


def _with_features(obj: Dict[str, Tree], feats: List[Feature]) -> Tree:
    if feats:
        obj['features'] = features(feats)
    return obj


def to_c(tree: Tree, level: int = 0) -> str:
    """The tree as a QapiLit initializer."""
    pad = '    ' * (level + 1)
    if tree is None:
        return '{ .type = QAPI_LIT_NULL }'
    if isinstance(tree, bool):
        return 'QAPI_LIT_BOOL(%s)' % ('true' if tree else 'false')
    if isinstance(tree, str):
        return 'QAPI_LIT_STR(%s)' % c_string(tree)
    if isinstance(tree, list):
        items = ''.join(_item(e, level + 1) for e in tree)
        # No macro here: the list may hold #if lines.
        return ('{ .type = QAPI_LIT_LIST, .u.list = (const QapiLit[]) {\n'
                '%s%s{ .type = QAPI_LIT_END }\n%s} }' % (items, pad, pad[4:]))
    assert isinstance(tree, dict)
    pairs = ''.join('%s{ %s, %s },\n' % (pad, c_string(k),
                                         to_c(v, level + 1))
                    for k, v in tree.items())
    return ('{ .type = QAPI_LIT_OBJECT, .u.object = (const QapiLitPair[]) {\n'
            '%s%s{ .key = NULL }\n%s} }' % (pairs, pad, pad[4:]))


def _item(elem: Tree, level: int) -> str:
    pad = '    ' * level
    if isinstance(elem, Cond):
        return guard(elem.ifcond, _item(elem.value, level))
    return '%s%s,\n' % (pad, to_c(elem, level))


def emit_introspect(h: CFile, c: CFile, schema: Schema, prefix: str,
                    unmask: bool) -> None:
    p = c_name(prefix, protect=False)
    tree = _Introspection(schema, unmask).entries()
    h.add_include('qapi/lit.h')
    h.add(cgen('''
        /* The schema's SchemaInfo list, as static data. */
        extern const QapiLit %(p)sqmp_schema_qlit;

        /* The same as a new jansson value (NULL if out of memory). */
        json_t *%(p)sqmp_schema_json(void);

        /* The same as compact JSON text; the caller frees it. */
        char *%(p)sqmp_schema_string(void);
        ''', p=p))
    c.add('const QapiLit %sqmp_schema_qlit = %s;\n' % (p, to_c(tree)))
    c.add(cgen('''
        json_t *%(p)sqmp_schema_json(void)
        {
            return qapi_lit_to_json(&%(p)sqmp_schema_qlit);
        }

        char *%(p)sqmp_schema_string(void)
        {
            json_t *json = %(p)sqmp_schema_json();
            char *text = json ? json_dumps(json, JSON_COMPACT) : NULL;

            json_decref(json);
            return text;
        }
        ''', p=p))
