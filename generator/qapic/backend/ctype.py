"""How schema types are represented in C."""

from typing import List, Optional

from ..cnames import c_name
from ..frontend.entities import (AlternateType, ArrayType, BuiltinType,
                                 EnumType, ObjectMember, ObjectType, Type)

# Built-in integer types: C type, minimum and maximum (None: unsigned).
INT_LIMITS = {
    'int': ('int64_t', 'INT64_MIN', 'INT64_MAX'),
    'int8': ('int8_t', 'INT8_MIN', 'INT8_MAX'),
    'int16': ('int16_t', 'INT16_MIN', 'INT16_MAX'),
    'int32': ('int32_t', 'INT32_MIN', 'INT32_MAX'),
    'int64': ('int64_t', 'INT64_MIN', 'INT64_MAX'),
    'uint8': ('uint8_t', None, 'UINT8_MAX'),
    'uint16': ('uint16_t', None, 'UINT16_MAX'),
    'uint32': ('uint32_t', None, 'UINT32_MAX'),
    'uint64': ('uint64_t', None, 'UINT64_MAX'),
    'size': ('uint64_t', None, 'UINT64_MAX'),
}


def type_c_name(t: Type) -> str:
    """The C identifier of a type: 'Foo', 'FooList', 'q_obj_cmd_arg'."""
    if isinstance(t, BuiltinType):
        return t.name
    return c_name(t.name, protect=False)


def c_type(t: Type) -> str:
    """The C type of a member or variable holding a value of type t."""
    if isinstance(t, BuiltinType):
        return t.c_type_name
    if isinstance(t, EnumType):
        return type_c_name(t)
    return type_c_name(t) + ' *'


def c_decl(t: Type, name: str) -> str:
    ctype = c_type(t)
    return ctype + name if ctype.endswith('*') else ctype + ' ' + name


def is_pointer(t: Type) -> bool:
    return c_type(t).endswith('*')


def need_has(m: ObjectMember) -> bool:
    """Whether optional member m carries a has_NAME flag: when its C type
    cannot say "absent" by itself.  A list can (NULL) but NULL is also the
    empty list, so lists keep the flag, as in QEMU."""
    return m.optional and (not is_pointer(m.type)
                           or isinstance(m.type, ArrayType))


def param_type(t: Type) -> str:
    """QEMU passes strings as const char *, everything else as stored."""
    if isinstance(t, BuiltinType) and t.name == 'str':
        return 'const char *'
    return c_type(t)


def arg_params(arg_type: Optional[ObjectType], boxed: bool) -> List[str]:
    """The C parameters carrying a command's or event's arguments, as
    QEMU passes them: one by one (optional ones with their has_ flag), or
    the whole struct when boxed."""
    if arg_type is None:
        return []
    if boxed:
        return ['%s *arg' % type_c_name(arg_type)]
    params: List[str] = []
    for m in arg_type.members:
        if need_has(m):
            params.append('bool has_%s' % c_name(m.name))
        ptype = param_type(m.type)
        sep = '' if ptype.endswith('*') else ' '
        params.append(ptype + sep + c_name(m.name))
    return params


def free_stmt(t: Type, expr: str) -> Optional[str]:
    """A statement releasing what a value of type t owns, if anything."""
    if isinstance(t, BuiltinType):
        if t.name == 'str':
            return 'free(%s);' % expr
        if t.name == 'any':
            return 'json_decref(%s);' % expr
        return None
    if isinstance(t, EnumType):
        return None
    return 'qapi_free_%s(%s);' % (type_c_name(t), expr)


def is_complex(t: Type) -> bool:
    return isinstance(t, (ObjectType, AlternateType, ArrayType))
