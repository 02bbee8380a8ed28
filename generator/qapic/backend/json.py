"""qapi-json-MODULE.{h,c}: exact JSON marshallers.

For each type T the generated code reads from a QapiInput (JSON text or
a jansson value, see <qapi/input.h>) and writes to a QapiOutput (JSON
text or a jansson value, <qapi/output.h>):

    bool qapi_in_T(QapiInput *in, T **obj, QapiError **errp);
    void qapi_out_T(QapiOutput *out, const T *obj);

and the public API on top of them:

    char *qapi_T_to_string(const T *obj);
    bool qapi_T_from_string(const char *json, T **obj, QapiError **errp);
    json_t *qapi_T_to_json(const T *obj);
    bool qapi_T_from_json(json_t *json, T **obj, QapiError **errp);

Object members are read in any order; each object type also gets
_member/_check helpers that unions use for their base and branches.
"""

from typing import List

from ..cnames import c_name
from ..frontend.entities import (AlternateType, ArrayType, BuiltinType,
                                 EnumType, ObjectMember, ObjectType, Type)
from .ctype import INT_LIMITS, need_has, type_c_name
from .gen import CFile, c_string, cgen, guard, indent
from .types import branch_tag, tag_field

_JSON_TYPE_OF_QTYPE = {
    'QTYPE_QSTRING': 'QAPI_JSON_STRING', 'QTYPE_QNUM': 'QAPI_JSON_NUMBER',
    'QTYPE_QBOOL': 'QAPI_JSON_BOOLEAN', 'QTYPE_QNULL': 'QAPI_JSON_NULL',
    'QTYPE_QDICT': 'QAPI_JSON_OBJECT', 'QTYPE_QLIST': 'QAPI_JSON_ARRAY',
}


def read_value(t: Type, dest: str) -> str:
    """C expression reading the current input value into lvalue dest."""
    if isinstance(t, BuiltinType):
        if t.name in ('str', 'number', 'bool', 'any'):
            return 'qapi_input_%s(in, &%s, errp)' % (t.name, dest)
        # integers and null: <qapi/marshal.h>
        return 'qapi_read_%s(in, &%s, errp)' % (t.name, dest)
    return 'qapi_in_%s(in, &%s, errp)' % (type_c_name(t), dest)


def write_value(t: Type, expr: str) -> str:
    """C statement writing value expr of type t."""
    if isinstance(t, BuiltinType):
        if t.name in INT_LIMITS:
            fn = 'uint' if INT_LIMITS[t.name][1] is None else 'int'
        else:
            fn = {'null': 'null'}.get(t.name, t.name)
        if t.name == 'null':
            return 'qapi_output_null(out);'
        return 'qapi_output_%s(out, %s);' % (fn, expr)
    return 'qapi_out_%s(out, %s);' % (type_c_name(t), expr)


# Declarations

def gen_decls(t: Type) -> str:
    name = type_c_name(t)
    if isinstance(t, EnumType):
        code = cgen(
            '''
            bool qapi_in_%(name)s(QapiInput *in, %(name)s *obj, QapiError **errp);
            void qapi_out_%(name)s(QapiOutput *out, %(name)s value);
            ''', name=name)
        return guard(t.ifcond, code)
    code = cgen(
        '''
        bool qapi_in_%(name)s(QapiInput *in, %(name)s **obj, QapiError **errp);
        void qapi_out_%(name)s(QapiOutput *out, const %(name)s *obj);
        ''', name=name)
    if isinstance(t, (ObjectType, AlternateType)):
        code += cgen(
            '''
            bool qapi_in_%(name)s_fill(QapiInput *in, %(name)s *obj, QapiError **errp);
            void qapi_out_%(name)s_members(QapiOutput *out, const %(name)s *obj);
            ''', name=name)
    if isinstance(t, ObjectType) and not t.variants:
        code += cgen(
            '''
            int qapi_in_%(name)s_member(QapiInput *in, const char *key, %(name)s *obj, \
                bool *seen, QapiError **errp);
            bool qapi_in_%(name)s_check(QapiInput *in, %(name)s *obj, const bool *seen, \
                QapiError **errp);
            ''', name=name)
    if has_public_api(t):
        code += cgen(
            '''
            char *qapi_%(name)s_to_string(const %(name)s *obj);
            bool qapi_%(name)s_from_string(const char *json, %(name)s **obj, QapiError **errp);
            json_t *qapi_%(name)s_to_json(const %(name)s *obj);
            bool qapi_%(name)s_from_json(json_t *json, %(name)s **obj, QapiError **errp);
            ''', name=name)
    return guard(t.ifcond, code)


def has_public_api(t: Type) -> bool:
    if isinstance(t, ArrayType):
        return has_public_api(t.element_type) or isinstance(
            t.element_type, (EnumType, BuiltinType))
    return isinstance(t, (ObjectType, AlternateType)) and not t.is_implicit()


# Enums

def gen_enum(t: EnumType) -> str:
    return guard(t.ifcond, cgen(
        '''
        bool qapi_in_%(name)s(QapiInput *in, %(name)s *obj, QapiError **errp)
        {
            int value;

            if (!qapi_input_enum(in, &%(name)s_lookup, &value, errp)) {
                return false;
            }
            *obj = (%(name)s)value;
            return true;
        }

        void qapi_out_%(name)s(QapiOutput *out, %(name)s value)
        {
            qapi_output_enum(out, &%(name)s_lookup, (int)value);
        }
        ''', name=type_c_name(t)))


# Structs

def _member_cases(members: List[ObjectMember]) -> str:
    out = []
    for i, m in enumerate(members):
        out.append(guard(m.ifcond, cgen(
            '''
            if (!strcmp(key, %(key)s)) {
                return qapi_input_once(in, &seen[%(i)d], errp) &&
                       %(read)s ? 1 : -1;
            }
            ''', key=c_string(m.name), i=i,
            read=read_value(m.type, 'obj->' + c_name(m.name)))))
    return ''.join(out)


def _member_checks(members: List[ObjectMember]) -> str:
    out = []
    for i, m in enumerate(members):
        field = c_name(m.name)
        if not m.optional:
            code = cgen(
                '''
                if (!seen[%(i)d]) {
                    qapi_input_error_missing(in, %(key)s, errp);
                    return false;
                }
                ''', i=i, key=c_string(m.name))
        elif need_has(m):
            code = 'obj->has_%s = seen[%d];\n' % (field, i)
        else:
            continue
        out.append(guard(m.ifcond, code))
    return ''.join(out)


def _members_out(members: List[ObjectMember]) -> str:
    out = []
    for m in members:
        field = 'obj->' + c_name(m.name)
        code = 'qapi_output_member(out, %s);\n%s\n' % (
            c_string(m.name), write_value(m.type, field))
        if m.optional:
            cond = 'obj->has_' + c_name(m.name) if need_has(m) else field
            code = 'if (%s) {\n%s}\n' % (cond, indent(code))
        out.append(guard(m.ifcond, code))
    return ''.join(out)


def _unused(code_for: List[ObjectMember], *params: str) -> str:
    """Silence unused-parameter warnings when no member (or only
    conditional ones) will use the parameters."""
    if code_for and not all(m.ifcond for m in code_for):
        return ''
    return ''.join('    (void)%s;\n' % p for p in params)


def _unused_in_check(members: List[ObjectMember]) -> str:
    real = [m for m in members if not m.ifcond]
    required = any(not m.optional for m in real)
    has_flags = any(need_has(m) for m in real)
    unused = [p for p, used in (('in', required), ('obj', has_flags),
                                ('seen', required or has_flags),
                                ('errp', required)) if not used]
    return ''.join('    (void)%s;\n' % p for p in unused)


def gen_struct(t: ObjectType) -> str:
    name = type_c_name(t)
    n = max(len(t.members), 1)
    return guard(t.ifcond, cgen(
        '''
        int qapi_in_%(name)s_member(QapiInput *in, const char *key, %(name)s *obj, \
            bool *seen, QapiError **errp)
        {
        %(cases)s%(unused_member)s    return 0;
        }

        bool qapi_in_%(name)s_check(QapiInput *in, %(name)s *obj, const bool *seen, \
            QapiError **errp)
        {
        %(checks)s%(unused_check)s    return true;
        }

        bool qapi_in_%(name)s_fill(QapiInput *in, %(name)s *obj, QapiError **errp)
        {
            bool seen[%(n)d] = { false };
            const char *key;
            int r;

            if (!qapi_input_start_object(in, errp)) {
                return false;
            }
            while ((r = qapi_input_next_member(in, &key, errp)) > 0) {
                r = qapi_in_%(name)s_member(in, key, obj, seen, errp);
                if (r == 0) {
                    qapi_input_error_unexpected(in, errp);
                    r = -1;
                }
                if (r < 0) {
                    break;
                }
            }
            if (r < 0 || !qapi_in_%(name)s_check(in, obj, seen, errp)) {
                qapi_free_%(name)s_members(obj);
                memset(obj, 0, sizeof(*obj));
                return false;
            }
            qapi_input_end_object(in);
            return true;
        }

        void qapi_out_%(name)s_members(QapiOutput *out, const %(name)s *obj)
        {
        %(out)s%(unused_out)s}
        ''', name=name, n=n, cases=indent(_member_cases(t.members)),
        unused_member=_unused(t.members, 'in', 'key', 'obj', 'seen', 'errp'),
        unused_check=_unused_in_check(t.members),
        unused_out=_unused(t.members, 'out', 'obj'),
        checks=indent(_member_checks(t.members)),
        out=indent(_members_out(t.members))) + _gen_common(t))


def _gen_common(t: Type) -> str:
    """qapi_in_T (allocate and fill) and qapi_out_T of an object type or
    alternate."""
    return cgen(
        '''

        bool qapi_in_%(name)s(QapiInput *in, %(name)s **obj, QapiError **errp)
        {
            %(name)s *value = qapi_input_alloc(sizeof(*value), errp);

            if (!value) {
                return false;
            }
            if (!qapi_in_%(name)s_fill(in, value, errp)) {
                free(value);
                return false;
            }
            *obj = value;
            return true;
        }

        void qapi_out_%(name)s(QapiOutput *out, const %(name)s *obj)
        {
            if (!obj) {
                qapi_output_null(out);
                return;
            }
            %(body)s
        }
        ''', name=type_c_name(t), body=(
            'qapi_out_%s_members(out, obj);' % type_c_name(t)
            if isinstance(t, AlternateType) else
            'qapi_output_start_object(out);\n    qapi_out_%s_members(out, obj);'
            '\n    qapi_output_end_object(out);' % type_c_name(t)))


# Unions

def _branch_switch(t: ObjectType, per_branch: str, subject: str) -> str:
    assert t.variants
    cases = []
    for v in t.variants.variants:
        if isinstance(v.type, ObjectType) and not v.type.is_empty():
            code = per_branch % {'type': type_c_name(v.type),
                                 'field': 'u.' + c_name(v.name)}
            cases.append(guard(v.ifcond, 'case %s:\n%s    break;\n' % (
                branch_tag(t, v), indent(code))))
    if not cases:
        return ''
    return 'switch (%s->%s) {\n%sdefault:\n    break;\n}\n' % (
        subject, tag_field(t), ''.join(cases))


def gen_union(t: ObjectType) -> str:
    assert t.variants and t.base
    name = type_c_name(t)
    base = type_c_name(t.base)
    tag = t.variants.tag_member
    tag_type = tag.type
    assert isinstance(tag_type, EnumType)
    nb = max(len(t.base.members), 1)
    nv = max([len(v.type.members) for v in t.variants.variants
              if isinstance(v.type, ObjectType)] + [1])
    read_branch = _branch_switch(
        t, 'r = qapi_in_%(type)s_member(in, key, &obj->%(field)s, bseen, '
        'errp);\n', 'obj')
    check_branch = _branch_switch(
        t, 'if (!qapi_in_%(type)s_check(in, &obj->%(field)s, bseen, errp)) {'
        '\n    goto fail;\n}\n', 'obj')
    out_branch = _branch_switch(
        t, 'qapi_out_%(type)s_members(out, &obj->%(field)s);\n', 'obj')
    return guard(t.ifcond, cgen(
        '''
        bool qapi_in_%(name)s_fill(QapiInput *in, %(name)s *obj, QapiError **errp)
        {
            /* The common members, laid out as the base type's. */
            %(base)s *base = (%(base)s *)obj;
            bool seen[%(nb)d] = { false };
            bool bseen[%(nv)d] = { false };
            const char *key;
            const char *tag;
            int r;

            if (!qapi_input_start_object(in, errp)) {
                return false;
            }
            /* The discriminator selects the branch: read it first. */
            r = qapi_input_find_string(in, %(tag_key)s, &tag, errp);
            if (r < 0) {
                goto fail;
            }
            if (r == 0) {
                qapi_input_error_missing(in, %(tag_key)s, errp);
                goto fail;
            }
            r = qapi_enum_parse(&%(tag_enum)s_lookup, tag, -1, NULL);
            if (r < 0) {
                qapi_input_error_member_value(in, %(tag_key)s, tag, errp);
                goto fail;
            }
            obj->%(tag_field)s = (%(tag_enum)s)r;
            while ((r = qapi_input_next_member(in, &key, errp)) > 0) {
                r = qapi_in_%(base)s_member(in, key, base, seen, errp);
                if (r == 0) {
        %(read_branch)s        }
                if (r == 0) {
                    qapi_input_error_unexpected(in, errp);
                    r = -1;
                }
                if (r < 0) {
                    goto fail;
                }
            }
            if (r < 0 || !qapi_in_%(base)s_check(in, base, seen, errp)) {
                goto fail;
            }
        %(check_branch)s    qapi_input_end_object(in);
            (void)bseen;
            return true;

        fail:
            qapi_free_%(name)s_members(obj);
            memset(obj, 0, sizeof(*obj));
            return false;
        }

        void qapi_out_%(name)s_members(QapiOutput *out, const %(name)s *obj)
        {
            qapi_out_%(base)s_members(out, (const %(base)s *)obj);
        %(out_branch)s}
        ''', name=name, base=base, nb=nb, nv=nv,
        tag_key=c_string(tag.name), tag_field=c_name(tag.name),
        tag_enum=type_c_name(tag_type),
        read_branch=indent(read_branch, 3),
        check_branch=indent(check_branch), out_branch=indent(out_branch))
        + _gen_common(t))


# Alternates

def gen_alternate(t: AlternateType) -> str:
    name = type_c_name(t)
    cases = []
    outs = []
    prelude = ''
    for v in t.variants.variants:
        qtype = branch_tag(t, v)
        field = 'obj->u.' + c_name(v.name)
        if isinstance(v.type, BuiltinType) and v.type.name in ('uint64', 'size'):
            # A jansson value holds a uint64 above INT64_MAX as a string
            # of digits (see <qapi/output.h>): take it for this branch.
            prelude += guard(v.ifcond, cgen(
                '''
                if (qapi_input_peek(in) == QAPI_JSON_STRING &&
                    %(read)s) {
                    obj->type = QTYPE_QNUM;
                    return true;
                }
                ''', read=read_value(v.type, field).replace('errp)', 'NULL)')))
        if isinstance(v.type, ObjectType):
            vtype = type_c_name(v.type)
            read = 'qapi_in_%s_fill(in, &%s, errp)' % (vtype, field)
            write = 'qapi_out_%s(out, &%s);' % (vtype, field)
        else:
            read = read_value(v.type, field)
            write = write_value(v.type, field)
        cases.append(guard(v.ifcond, cgen(
            '''
            case %(json)s:
                obj->type = %(qtype)s;
                return %(read)s;
            ''', json=_JSON_TYPE_OF_QTYPE[qtype], qtype=qtype, read=read)))
        outs.append(guard(v.ifcond, 'case %s:\n    %s\n    break;\n'
                          % (qtype, write)))
    return guard(t.ifcond, cgen(
        '''
        bool qapi_in_%(name)s_fill(QapiInput *in, %(name)s *obj, QapiError **errp)
        {
        %(prelude)s    switch (qapi_input_peek(in)) {
        %(cases)s    case QAPI_JSON_INVALID:
                /* Malformed input: let the input report it. */
                qapi_input_skip(in, errp);
                return false;
            default:
                qapi_input_error_type(in, %(expected)s, errp);
                return false;
            }
        }

        void qapi_out_%(name)s_members(QapiOutput *out, const %(name)s *obj)
        {
            switch (obj->type) {
        %(outs)s    default:
                qapi_output_null(out);
                break;
            }
        }
        ''', name=name, cases=indent(''.join(cases)), expected=c_string(t.name),
        prelude=indent(prelude),
        outs=indent(''.join(outs))) + _gen_common(t))


# Lists

def gen_list(t: ArrayType) -> str:
    name = type_c_name(t)
    return guard(t.ifcond, cgen(
        '''
        bool qapi_in_%(name)s(QapiInput *in, %(name)s **obj, QapiError **errp)
        {
            %(name)s *head = NULL;
            %(name)s **tail = &head;
            int r;

            if (!qapi_input_start_array(in, errp)) {
                return false;
            }
            while ((r = qapi_input_next_element(in, errp)) > 0) {
                %(name)s *node = qapi_input_alloc(sizeof(*node), errp);

                if (!node) {
                    r = -1;
                    break;
                }
                *tail = node;
                tail = &node->next;
                if (!%(read)s) {
                    r = -1;
                    break;
                }
            }
            if (r < 0) {
                qapi_free_%(name)s(head);
                return false;
            }
            qapi_input_end_array(in);
            *obj = head;
            return true;
        }

        void qapi_out_%(name)s(QapiOutput *out, const %(name)s *obj)
        {
            qapi_output_start_array(out);
            for (; obj; obj = obj->next) {
                %(write)s
            }
            qapi_output_end_array(out);
        }
        ''', name=name, read=read_value(t.element_type, 'node->value'),
        write=write_value(t.element_type, 'obj->value')))


# Public API

def gen_public(t: Type) -> str:
    return guard(t.ifcond, cgen(
        '''
        char *qapi_%(name)s_to_string(const %(name)s *obj)
        {
            QapiOutput *out = qapi_output_new_text();

            if (!out) {
                return NULL;
            }
            qapi_out_%(name)s(out, obj);
            return qapi_output_finish_text(out, NULL);
        }

        bool qapi_%(name)s_from_string(const char *json, %(name)s **obj, QapiError **errp)
        {
            QapiInput *in;
            %(name)s *value = NULL;
            bool ok;

            if (!json || !obj) {
                qapi_error_setg(errp, "%%s: argument '%%s' is NULL",
                                "qapi_%(name)s_from_string", json ? "obj" : "json");
                return false;
            }
            in = qapi_input_new_text(json, strlen(json));
            if (!in) {
                qapi_error_setg(errp, "Out of memory");
                return false;
            }
            ok = qapi_in_%(name)s(in, &value, errp) && qapi_input_finish(in, errp);
            qapi_input_free(in);
            if (!ok) {
                qapi_free_%(name)s(value);
                return false;
            }
            *obj = value;
            return true;
        }

        json_t *qapi_%(name)s_to_json(const %(name)s *obj)
        {
            QapiOutput *out = qapi_output_new_json();

            if (!out) {
                return NULL;
            }
            qapi_out_%(name)s(out, obj);
            return qapi_output_finish_json(out);
        }

        bool qapi_%(name)s_from_json(json_t *json, %(name)s **obj, QapiError **errp)
        {
            QapiInput *in;
            %(name)s *value = NULL;
            bool ok;

            if (!json || !obj) {
                qapi_error_setg(errp, "%%s: argument '%%s' is NULL",
                                "qapi_%(name)s_from_json", json ? "obj" : "json");
                return false;
            }
            in = qapi_input_new_json(json);
            if (!in) {
                qapi_error_setg(errp, "Out of memory");
                return false;
            }
            ok = qapi_in_%(name)s(in, &value, errp) && qapi_input_finish(in, errp);
            qapi_input_free(in);
            if (!ok) {
                qapi_free_%(name)s(value);
                return false;
            }
            *obj = value;
            return true;
        }
        ''', name=type_c_name(t)))


def emit_json(h: CFile, c: CFile, types: List[Type]) -> None:
    for t in types:
        if isinstance(t, BuiltinType):
            continue
        h.add(gen_decls(t))
        if isinstance(t, EnumType):
            c.add(gen_enum(t))
        elif isinstance(t, ArrayType):
            c.add(gen_list(t))
        elif isinstance(t, AlternateType):
            c.add(gen_alternate(t))
        elif isinstance(t, ObjectType):
            c.add(gen_union(t) if t.variants else gen_struct(t))
        if has_public_api(t):
            c.add(gen_public(t))
