"""qapi-types-MODULE.{h,c}: C types, and their free, clone and equal.

Layouts and names are QEMU's: enums with a __MAX constant and a lookup
table; structs with base members first and has_NAME flags for optional
members that are not pointers; unions with their branches in a C union
``u``; alternates with a QType ``type`` and ``u``; lists as TList with
``next`` and ``value``.
"""

from typing import List, Optional

from ..cnames import c_enum_const, c_name
from ..frontend.entities import (AlternateType, ArrayType, BuiltinType,
                                 EnumType, ObjectMember, ObjectType, Type,
                                 Variant)
from .ctype import (c_decl, c_type, free_stmt, is_pointer, need_has,
                    type_c_name)
from .gen import CFile, cgen, guard, indent


def enum_const(enum: EnumType, member: str) -> str:
    return c_enum_const(enum.name, member, enum.prefix)


def branch_tag(owner: Type, v: Variant) -> str:
    """The case label selecting branch v of a union or alternate."""
    if isinstance(owner, AlternateType):
        qtype = v.type.alternate_qtype()
        assert qtype
        return qtype
    assert isinstance(owner, ObjectType) and owner.variants
    tag = owner.variants.tag_member.type
    assert isinstance(tag, EnumType)
    return enum_const(tag, v.name)


def tag_field(owner: Type) -> str:
    if isinstance(owner, AlternateType):
        return 'type'
    assert isinstance(owner, ObjectType) and owner.variants
    return c_name(owner.variants.tag_member.name)


def branch_c_type(v: Variant) -> str:
    """Branches are held by value, as in QEMU (objects unboxed)."""
    if isinstance(v.type, ObjectType):
        return type_c_name(v.type)
    return c_type(v.type)


# Declarations

def gen_enum_decl(enum: EnumType) -> str:
    name = type_c_name(enum)
    body = ''.join(guard(m.ifcond, '    %s,\n' % enum_const(enum, m.name))
                   for m in enum.members)
    return guard(enum.ifcond, cgen(
        '''
        typedef enum %(name)s {
        %(body)s    %(max)s,
        } %(name)s;

        extern const QapiEnumLookup %(name)s_lookup;

        /* Wire name of @value, or NULL if it is not a value of %(name)s. */
        const char *%(name)s_str(%(name)s value);
        ''', name=name, body=body,
        max=c_enum_const(enum.name, '_MAX', enum.prefix)))


def gen_fwd(t: Type) -> str:
    name = type_c_name(t)
    return guard(t.ifcond, 'typedef struct %s %s;\n' % (name, name))


def gen_list_decl(t: ArrayType) -> str:
    name = type_c_name(t)
    return guard(t.ifcond, cgen(
        '''
        struct %(name)s {
            %(name)s *next;
            %(value)s;
        };
        ''', name=name, value=c_decl(t.element_type, 'value')))


def member_decls(members: List[ObjectMember]) -> str:
    out = []
    for m in members:
        code = ''
        if need_has(m):
            code += 'bool has_%s;\n' % c_name(m.name)
        code += c_decl(m.type, c_name(m.name)) + ';\n'
        out.append(guard(m.ifcond, code))
    return ''.join(out)


def gen_object_decl(t: ObjectType) -> str:
    name = type_c_name(t)
    body = ''
    if t.base:
        body += '/* Members inherited from %s: */\n' % t.base.name
        body += member_decls(t.base.members)
        if t.local_members:
            body += '/* Own members: */\n'
    body += member_decls(t.local_members)
    if t.variants:
        body += gen_variants_decl(t, t.variants.variants)
    if all(m.ifcond for m in t.members) and not t.variants:
        # C does not allow empty structs, and all members may be compiled out
        body += 'char qapi_unused;\n'
    code = 'struct %s {\n%s};\n' % (name, indent(body))
    if t.base and not t.base.is_implicit():
        base = type_c_name(t.base)
        code += cgen(
            '''

            static inline %(base)s *qapi_%(name)s_base(%(name)s *obj)
            {
                return (%(base)s *)obj;
            }
            ''', base=base, name=name)
    return guard(t.ifcond, code)


def gen_variants_decl(owner: Type, variants: List[Variant]) -> str:
    body = ''.join(guard(v.ifcond, '%s %s;\n' % (branch_c_type(v),
                                                 c_name(v.name)))
                   for v in variants if not _empty_branch(v))
    if not body:
        return ''
    if all(v.ifcond for v in variants if not _empty_branch(v)):
        body += 'char qapi_unused; /* all branches may be compiled out */\n'
    return 'union { /* union tag is @%s */\n%s} u;\n' % (
        tag_field(owner), indent(body))


def _empty_branch(v: Variant) -> bool:
    return isinstance(v.type, ObjectType) and v.type.is_empty()


def gen_alternate_decl(t: AlternateType) -> str:
    body = 'QType type;\n' + gen_variants_decl(t, t.variants.variants)
    return guard(t.ifcond, 'struct %s {\n%s};\n' % (type_c_name(t),
                                                    indent(body)))


def gen_func_decls(t: Type) -> str:
    name = type_c_name(t)
    code = cgen(
        '''
        void qapi_free_%(name)s(%(name)s *obj);
        %(name)s *qapi_clone_%(name)s(const %(name)s *obj);
        bool qapi_equal_%(name)s(const %(name)s *a, const %(name)s *b);
        ''', name=name)
    if isinstance(t, (ObjectType, AlternateType)):
        code += cgen(
            '''
            void qapi_free_%(name)s_members(%(name)s *obj);
            bool qapi_clone_%(name)s_members(%(name)s *dst, const %(name)s *src);
            bool qapi_equal_%(name)s_members(const %(name)s *a, const %(name)s *b);
            ''', name=name)
    return guard(t.ifcond, code)


# Definitions

def gen_enum_def(enum: EnumType) -> str:
    name = type_c_name(enum)
    names = ''.join(guard(m.ifcond, '    [%s] = "%s",\n'
                          % (enum_const(enum, m.name), m.name))
                    for m in enum.members)
    return guard(enum.ifcond, cgen(
        '''
        static const char *const %(name)s_names[] = {
        %(names)s    [%(max)s] = NULL,
        };

        const QapiEnumLookup %(name)s_lookup = {
            .array = %(name)s_names,
            .size = %(max)s,
        };

        const char *%(name)s_str(%(name)s value)
        {
            return qapi_enum_lookup(&%(name)s_lookup, (int)value);
        }
        ''', name=name, names=names,
        max=c_enum_const(enum.name, '_MAX', enum.prefix)))


def _value_free(t: Type, expr: str) -> str:
    return free_stmt(t, expr) or ''


def _clone_call(t: Type, src: str) -> Optional[str]:
    """Expression deep-copying pointer src (None: a plain copy will do)."""
    if isinstance(t, BuiltinType):
        return {'str': 'qapi_strdup(%s)',
                'any': 'json_deep_copy(%s)'}.get(t.name, '%s') % src
    if isinstance(t, EnumType):
        return None
    return 'qapi_clone_%s(%s)' % (type_c_name(t), src)


def _value_clone(t: Type, dst: str, src: str) -> str:
    """A statement copying src into dst (zeroed), clearing ok when out of
    memory."""
    call = _clone_call(t, src) if is_pointer(t) else None
    if call is None or call == src:
        return '%s = %s;\n' % (dst, src)
    return 'ok = ok && (!%s || (%s = %s) != NULL);\n' % (src, dst, call)


def _value_equal(t: Type, a: str, b: str) -> str:
    """A C expression: whether a and b are equal values of type t."""
    if isinstance(t, BuiltinType):
        if t.name == 'str':
            return '!qapi_strcmp0(%s, %s)' % (a, b)
        if t.name == 'any':
            return 'qapi_json_equal(%s, %s)' % (a, b)
        if t.name == 'null':
            return '!%s == !%s' % (a, b)    # absent (NULL) or present
        if t.name == 'number':
            return 'qapi_number_equal(%s, %s)' % (a, b)
        return '%s == %s' % (a, b)
    if isinstance(t, EnumType):
        return '%s == %s' % (a, b)
    return 'qapi_equal_%s(%s, %s)' % (type_c_name(t), a, b)


def _members_code(members: List[ObjectMember], what: str) -> str:
    out = []
    for m in members:
        field = c_name(m.name)
        has = need_has(m)
        if what == 'free':
            code = _value_free(m.type, 'obj->' + field)
            code = code + '\n' if code else ''
        elif what == 'clone':
            code = 'dst->has_%s = src->has_%s;\n' % (field, field) if has else ''
            code += _value_clone(m.type, 'dst->' + field, 'src->' + field)
        else:
            equal = _value_equal(m.type, 'a->' + field, 'b->' + field)
            if has:
                # The value of an absent member does not count.
                code = ('if (a->has_%s != b->has_%s\n'
                        '    || (a->has_%s && !(%s))) {\n    return false;\n}\n'
                        % (field, field, field, equal))
            else:
                code = 'if (!(%s)) {\n    return false;\n}\n' % equal
        out.append(guard(m.ifcond, code))
    return ''.join(out)


def _variants_code(owner: Type, variants: List[Variant], what: str) -> str:
    cases = []
    for v in variants:
        if _empty_branch(v):
            continue
        field = 'u.' + c_name(v.name)
        if isinstance(v.type, ObjectType):
            name = type_c_name(v.type)
            if what == 'free':
                code = 'qapi_free_%s_members(&obj->%s);\n' % (name, field)
            elif what == 'clone':
                code = ('ok = ok && qapi_clone_%s_members(&dst->%s, &src->%s);\n'
                        % (name, field, field))
            else:
                code = ('return qapi_equal_%s_members(&a->%s, &b->%s);\n'
                        % (name, field, field))
        elif what == 'free':
            code = _value_free(v.type, 'obj->' + field)
            code = code + '\n' if code else ''
        elif what == 'clone':
            code = _value_clone(v.type, 'dst->' + field, 'src->' + field)
        else:
            equal = _value_equal(v.type, 'a->' + field, 'b->' + field)
            code = 'return %s;\n' % equal
        if what != 'equal':
            code += 'break;\n'
        cases.append(guard(v.ifcond, 'case %s:\n%s' % (branch_tag(owner, v),
                                                       indent(code))))
    if not cases:
        return 'return true;\n' if what == 'equal' else ''
    subject = {'free': 'obj', 'clone': 'src', 'equal': 'a'}[what]
    default = 'default:\n    %s\n' % (
        'return true;' if what == 'equal' else 'break;')
    return 'switch (%s->%s) {\n%s%s}\n' % (
        subject, tag_field(owner), ''.join(cases), default)


def gen_complex_defs(t: Type) -> str:
    """free, clone and equal of an object or alternate type."""
    name = type_c_name(t)
    if isinstance(t, ObjectType):
        members = t.members
        variants = t.variants.variants if t.variants else []
    else:
        assert isinstance(t, AlternateType)
        members = []
        variants = t.variants.variants
    free_body = (_members_code(members, 'free')
                 + _variants_code(t, variants, 'free'))
    clone_body = _members_code(members, 'clone')
    if isinstance(t, AlternateType):
        clone_body += 'dst->type = src->type;\n'
    clone_body += _variants_code(t, variants, 'clone')
    equal_body = _members_code(members, 'equal')
    if isinstance(t, AlternateType):
        equal_body += 'if (a->type != b->type) {\n    return false;\n}\n'
    equal_body += (_variants_code(t, variants, 'equal') if variants
                   else 'return true;\n')
    return guard(t.ifcond, cgen(
        '''
        void qapi_free_%(name)s_members(%(name)s *obj)
        {
        %(free_body)s    (void)obj;
        }

        void qapi_free_%(name)s(%(name)s *obj)
        {
            if (obj) {
                qapi_free_%(name)s_members(obj);
                free(obj);
            }
        }

        bool qapi_clone_%(name)s_members(%(name)s *dst, const %(name)s *src)
        {
            bool ok = true;

            memset(dst, 0, sizeof(*dst));
        %(clone_body)s    if (!ok) {
                qapi_free_%(name)s_members(dst);
                memset(dst, 0, sizeof(*dst));
            }
            (void)src;
            return ok;
        }

        %(name)s *qapi_clone_%(name)s(const %(name)s *obj)
        {
            %(name)s *dst;

            if (!obj) {
                return NULL;
            }
            dst = malloc(sizeof(*dst));
            if (dst && !qapi_clone_%(name)s_members(dst, obj)) {
                free(dst);
                dst = NULL;
            }
            return dst;
        }

        bool qapi_equal_%(name)s_members(const %(name)s *a, const %(name)s *b)
        {
            (void)a;
            (void)b;
        %(equal_body)s}

        bool qapi_equal_%(name)s(const %(name)s *a, const %(name)s *b)
        {
            if (!a || !b) {
                return a == b;
            }
            return qapi_equal_%(name)s_members(a, b);
        }
        ''', name=name, free_body=indent(free_body),
        clone_body=indent(clone_body),
        equal_body=indent(equal_body)))


def gen_list_defs(t: ArrayType) -> str:
    name = type_c_name(t)
    elem = t.element_type
    free_value = _value_free(elem, 'obj->value')
    call = _clone_call(elem, 'src->value') if is_pointer(elem) else None
    if call is None or call == 'src->value':
        clone_value = 'node->value = src->value;\n'
    else:
        clone_value = ('if (src->value && !(node->value = %s)) {\n'
                       '    goto fail;\n}\n' % call)
    return guard(t.ifcond, cgen(
        '''
        void qapi_free_%(name)s(%(name)s *obj)
        {
            while (obj) {
                %(name)s *next = obj->next;

                %(free_value)s
                free(obj);
                obj = next;
            }
        }

        %(name)s *qapi_clone_%(name)s(const %(name)s *src)
        {
            %(name)s *head = NULL;
            %(name)s **tail = &head;

            for (; src; src = src->next) {
                %(name)s *node = calloc(1, sizeof(*node));

                if (!node) {
                    goto fail;
                }
                *tail = node;
                tail = &node->next;
        %(clone_value)s    }
            return head;

        fail:
            qapi_free_%(name)s(head);
            return NULL;
        }

        bool qapi_equal_%(name)s(const %(name)s *a, const %(name)s *b)
        {
            for (; a && b; a = a->next, b = b->next) {
                if (!(%(equal)s)) {
                    return false;
                }
            }
            return a == b;
        }
        ''', name=name, free_value=free_value or '/* nothing to free */',
        clone_value=indent(clone_value, 2),
        equal=_value_equal(elem, 'a->value', 'b->value')))


def by_value_deps(t: Type) -> List[Type]:
    """Types that must be complete before t's struct is defined."""
    deps: List[Type] = []
    if isinstance(t, (ObjectType, AlternateType)) and t.variants:
        for v in t.variants.variants:
            if isinstance(v.type, ObjectType):
                deps.append(v.type)
    return deps


def emit_types(h: CFile, c: CFile, types: List[Type]) -> None:
    """Declarations into h and definitions into c, for a module's types."""
    complex_types = [t for t in types
                     if isinstance(t, (ObjectType, AlternateType, ArrayType))]
    h.add(''.join(gen_fwd(t) for t in complex_types))
    for t in types:
        if isinstance(t, EnumType):
            h.add(gen_enum_decl(t))
            c.add(gen_enum_def(t))
    for t in types:
        if isinstance(t, ArrayType):
            h.add(gen_list_decl(t))
    done: set = set()
    module = types[0].module if types else None

    def define(t: Type) -> None:
        # Types of other modules are defined in their own headers.
        if t.name in done or t.module != module:
            return
        done.add(t.name)
        for dep in by_value_deps(t):
            define(dep)
        if isinstance(t, ObjectType):
            h.add(gen_object_decl(t))
        elif isinstance(t, AlternateType):
            h.add(gen_alternate_decl(t))

    for t in types:
        define(t)
    for t in complex_types:
        h.add(gen_func_decls(t))
        if isinstance(t, ArrayType):
            c.add(gen_list_defs(t))
        else:
            c.add(gen_complex_defs(t))
