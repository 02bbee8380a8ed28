"""How schema names become C names.

These rules are QEMU's, so that generated identifiers match the ones
people know from QEMU: ``-`` and ``.`` become ``_``, names that would be
C/C++ keywords (or start with a digit) get a ``q_`` prefix, and
CamelCase type names become UPPER_CASE prefixes for enum constants.
"""

import functools
from typing import Dict, Tuple

# C89, C99, C11 and GCC keywords, C++ keywords, and words some
# platforms predefine as macros.
_RESERVED = frozenset("""
auto break case char const continue default do double else enum extern
float for goto if int long register return short signed sizeof static
struct switch typedef union unsigned void volatile while
inline restrict _Bool _Complex _Imaginary
_Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local
asm typeof
bool catch class const_cast delete dynamic_cast explicit false friend
mutable namespace new operator private protected public reinterpret_cast
static_cast template this throw true try typeid typename using virtual
wchar_t and and_eq bitand bitor compl not not_eq or or_eq xor xor_eq
unix errno mips sparc i386 linux
""".split())


_cache: Dict[Tuple[str, bool], str] = {}


def c_name(name: str, protect: bool = True) -> str:
    """The C identifier for a schema name; with protect, keywords and
    names starting with a digit are prefixed with ``q_``."""
    key = (name, protect)
    cname = _cache.get(key)
    if cname is None:
        cname = name.replace('-', '_').replace('.', '_')
        if protect and (cname in _RESERVED or cname[:1].isdigit()):
            cname = 'q_' + cname
        _cache[key] = cname
    return cname


@functools.lru_cache(maxsize=None)
def camel_to_upper(value: str) -> str:
    """'VfioMigrationState' -> 'VFIO_MIGRATION_STATE'.

    An underscore goes before an uppercase letter that starts a new
    word: one followed by a lowercase letter, or one that follows a
    digit.  Names already all in upper case only get mangled."""
    name = c_name(value, False)
    if value.isupper():
        return name
    out = []
    last = len(name) - 1
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and name[i - 1] != '_':
            if (i < last and name[i + 1].islower()) or name[i - 1].isdigit():
                out.append('_')
        out.append(ch)
    return ''.join(out).lstrip('_').upper()


def c_enum_const(type_name: str, member: str, prefix: 'str | None' = None) -> str:
    """The C constant for an enum member, as QEMU spells it."""
    if prefix is None:
        prefix = camel_to_upper(type_name)
    return prefix + '_' + c_name(member, False).upper()
