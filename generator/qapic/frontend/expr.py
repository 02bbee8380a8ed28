"""Checks on the shape of each top-level expression.

These checks need only the expression itself: allowed and required keys,
the JSON type of every value, naming rules, conditions and features.
Checks that need the whole schema (does a type exist, do members clash)
are the schema model's.  Shorthand forms are normalized on the way, so
the model sees members, enum values, features and branches as objects:
``'name': 'T'`` becomes ``'name': {'type': 'T'}``.
"""

import re
from typing import Any, Dict, Iterable, List, Optional, Union

from ..cnames import c_name
from .parser import Expr
from .source import QAPIError, SourceInfo

# A name: an optional downstream prefix __RFQDN_, then a letter, then
# letters, digits, '-' and '_'.
_VALID_NAME = re.compile(r'(__[a-zA-Z0-9.-]+_)?([a-zA-Z][a-zA-Z0-9_-]*)$')
_CAMEL = re.compile(r'[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$')
_HAS_UPPER = re.compile(r'[A-Z]')
_HAS_LOWER_OR_DASH = re.compile(r'[a-z-]')
_IF_NAME = re.compile(r'[A-Z][A-Z0-9_]*$')      # a configuration macro

METAS = ('enum', 'struct', 'union', 'alternate', 'command', 'event')

_KEYS = {
    'enum': (('enum', 'data'), ('if', 'features', 'prefix')),
    'struct': (('struct', 'data'), ('base', 'if', 'features')),
    'union': (('union', 'base', 'discriminator', 'data'), ('if', 'features')),
    'alternate': (('alternate', 'data'), ('if', 'features')),
    'command': (('command',), ('data', 'returns', 'boxed', 'if', 'features',
                               'gen', 'success-response', 'allow-oob',
                               'allow-preconfig', 'coroutine')),
    'event': (('event',), ('data', 'boxed', 'if', 'features')),
}


def _quoted(names: Iterable[str]) -> str:
    return ', '.join("'%s'" % n for n in sorted(names))


def check_keys(value: Dict[str, Any], info: SourceInfo, source: str,
               required: Iterable[str], optional: Iterable[str]) -> None:
    missing = [k for k in required if k not in value]
    if missing:
        raise QAPIError(info, '%s misses key%s %s' % (
            source, 's' if len(missing) > 1 else '', _quoted(missing)))
    allowed = set(required) | set(optional)
    unknown = [k for k in value if k not in allowed]
    if unknown:
        raise QAPIError(info, '%s has unknown key%s %s\nValid keys are %s.' % (
            source, 's' if len(unknown) > 1 else '', _quoted(unknown),
            _quoted(allowed)))


# Names

def check_name_is_str(name: object, info: SourceInfo, source: str) -> None:
    if not isinstance(name, str):
        raise QAPIError(info, '%s requires a string name' % source)


def check_name_str(name: str, info: SourceInfo, source: str,
                   digit_ok: bool = False) -> str:
    """Check the characters of name; return it without downstream prefix."""
    match = _VALID_NAME.match('d' + name if digit_ok and name[:1].isdigit()
                              else name)
    if not match or c_name(name, False).startswith('q_'):
        raise QAPIError(info, '%s has an invalid name' % source)
    return match.group(2)


def check_name_lower(name: str, info: SourceInfo, source: str,
                     permit_upper: bool = False,
                     permit_underscore: bool = False,
                     digit_ok: bool = False) -> None:
    stem = check_name_str(name, info, source, digit_ok)
    if ((not permit_upper and _HAS_UPPER.search(stem))
            or (not permit_underscore and '_' in stem)):
        raise QAPIError(info, "name of %s must not use uppercase or '_'"
                        % source)


def check_defn_name(name: str, info: SourceInfo, meta: str) -> None:
    source = "%s '%s'" % (meta, name) if meta in ('command', 'event') \
        else meta
    if meta == 'event':
        stem = check_name_str(name, info, source)
        if _HAS_LOWER_OR_DASH.search(stem):
            raise QAPIError(info, "name of %s must not use lowercase or '-'"
                            % source)
    elif meta == 'command':
        check_name_lower(name, info, source, permit_underscore=(
            name in info.pragma.command_name_exceptions))
    else:
        stem = check_name_str(name, info, source)
        if not _CAMEL.match(stem):
            raise QAPIError(info, "name of %s must use CamelCase" % source)
        # 'List' names the generator's array types.  ('Kind' was reserved
        # for implicit union enums, which no longer exist: QEMU's own
        # schema uses such names.)
        if name.endswith('List'):
            raise QAPIError(info, "%s name should not end in 'List'" % meta)


# Conditions and features

def check_if(obj: Dict[str, Any], info: SourceInfo, source: str) -> None:
    cond = obj.get('if')
    if cond is not None:
        _check_cond(cond, info, source)


def _check_cond(cond: Any, info: SourceInfo, source: str) -> None:
    if isinstance(cond, str):
        if not _IF_NAME.match(cond):
            raise QAPIError(info, "'if' condition '%s' of %s is not a valid "
                            "identifier" % (cond, source))
        return
    if not isinstance(cond, dict):
        raise QAPIError(info, "'if' condition of %s must be a string or an "
                        "object" % source)
    check_keys(cond, info, "'if' condition of %s" % source, (),
               ('all', 'any', 'not'))
    if not cond:
        raise QAPIError(info, "'if' condition {} of %s is useless" % source)
    if len(cond) != 1:
        raise QAPIError(info, "'if' condition of %s has conflicting keys"
                        % source)
    op, operand = next(iter(cond.items()))
    if op == 'not':
        _check_cond(operand, info, source)
        return
    if not isinstance(operand, list):
        raise QAPIError(info, "'%s' condition of %s must be an array"
                        % (op, source))
    if not operand:
        raise QAPIError(info, "'if' condition [] of %s is useless" % source)
    for sub in operand:
        _check_cond(sub, info, source)


def _normalize_named(items: List[Any]) -> None:
    """Shorthand 'x' for {'name': 'x'}, in place."""
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            items[n] = {'name': item}


def check_features(features: Any, info: SourceInfo) -> None:
    if features is None:
        return
    if not isinstance(features, list):
        raise QAPIError(info, "'features' must be an array")
    _normalize_named(features)
    for feat in features:
        source = "'features' member"
        check_keys(feat, info, source, ('name',), ('if',))
        check_name_is_str(feat['name'], info, source)
        source = "%s '%s'" % (source, feat['name'])
        check_name_lower(feat['name'], info, source)
        check_if(feat, info, source)


# Types and members

def normalize_members(members: Any) -> None:
    if isinstance(members, dict):
        for key, arg in members.items():
            if not isinstance(arg, dict):
                members[key] = {'type': arg}


def _check_type_name(name: str, info: SourceInfo, source: str) -> None:
    # No definition can be named q_*: such names are the generator's own
    # (implicit types), which the schema cannot refer to.
    if name.startswith('q_'):
        raise QAPIError(info, "%s uses unknown type '%s'" % (source, name))


def check_type(value: Any, info: SourceInfo, source: str,
               allow_array: bool = False,
               allow_dict: Union[bool, str] = False) -> None:
    """Check a type reference: a name, ['name'] where allow_array, or
    an object of members where allow_dict (a str: the name of the type
    the members belong to, for pragma member-name-exceptions)."""
    if value is None:
        return
    if isinstance(value, str):
        _check_type_name(value, info, source)
        return
    if isinstance(value, list):
        if not allow_array:
            raise QAPIError(info, '%s cannot be an array' % source)
        if len(value) != 1 or not isinstance(value[0], str):
            raise QAPIError(info, '%s: array type must contain single type '
                            'name' % source)
        _check_type_name(value[0], info, source)
        return
    if not allow_dict:
        raise QAPIError(info, '%s should be a type name' % source)
    if not isinstance(value, dict):
        raise QAPIError(info, '%s should be an object or type name' % source)
    permissive = (isinstance(allow_dict, str)
                  and allow_dict in info.pragma.member_name_exceptions)
    for key, arg in value.items():
        key_source = "%s member '%s'" % (source, key)
        name = key[1:] if key.startswith('*') else key
        check_name_lower(name, info, key_source, permissive, permissive)
        cname = c_name(name, False)
        if cname == 'u' or cname.startswith('has_'):
            raise QAPIError(info, '%s uses reserved name' % key_source)
        check_keys(arg, info, key_source, ('type',), ('if', 'features'))
        check_if(arg, info, key_source)
        check_features(arg.get('features'), info)
        check_type(arg['type'], info, key_source, allow_array=True)


# Definitions

def _check_enum(expr: Dict[str, Any], info: SourceInfo) -> None:
    members = expr['data']
    prefix = expr.get('prefix')
    if not isinstance(members, list):
        raise QAPIError(info, "'data' must be an array")
    if prefix is not None and not isinstance(prefix, str):
        raise QAPIError(info, "'prefix' must be a string")
    permissive = expr['enum'] in info.pragma.member_name_exceptions
    _normalize_named(members)
    for member in members:
        source = "'data' member"
        check_keys(member, info, source, ('name',), ('if', 'features'))
        name = member['name']
        check_name_is_str(name, info, source)
        source = "%s '%s'" % (source, name)
        check_name_lower(name, info, source, permissive, permissive,
                         digit_ok=True)
        check_if(member, info, source)
        check_features(member.get('features'), info)


def _check_struct(expr: Dict[str, Any], info: SourceInfo) -> None:
    if isinstance(expr['data'], str):
        raise QAPIError(info, "'data' should be an object")
    check_type(expr['data'], info, "'data'", allow_dict=expr['struct'])
    check_type(expr.get('base'), info, "'base'")


def _check_branches(members: Any, info: SourceInfo, lower: bool) -> None:
    if not isinstance(members, dict):
        raise QAPIError(info, "'data' must be an object")
    if not members:
        raise QAPIError(info, "'data' must not be empty")
    for key, value in members.items():
        source = "'data' member '%s'" % key
        if lower:
            check_name_lower(key, info, source)
        check_keys(value, info, source, ('type',), ('if',))
        check_if(value, info, source)
        # Alternates may have array branches; union branches are structs.
        check_type(value['type'], info, source, allow_array=lower)


def _check_union(expr: Dict[str, Any], info: SourceInfo) -> None:
    check_type(expr['base'], info, "'base'", allow_dict=expr['union'])
    check_name_is_str(expr['discriminator'], info, "'discriminator'")
    _check_branches(expr['data'], info, lower=False)


def _check_alternate(expr: Dict[str, Any], info: SourceInfo) -> None:
    _check_branches(expr['data'], info, lower=True)


def _check_command(expr: Dict[str, Any], info: SourceInfo) -> None:
    boxed = expr.get('boxed', False)
    if boxed and expr.get('data') is None:
        raise QAPIError(info, "'boxed': true requires 'data'")
    check_type(expr.get('data'), info, "'data'", allow_dict=not boxed)
    check_type(expr.get('returns'), info, "'returns'", allow_array=True)


def _check_event(expr: Dict[str, Any], info: SourceInfo) -> None:
    boxed = expr.get('boxed', False)
    if boxed and expr.get('data') is None:
        raise QAPIError(info, "'boxed': true requires 'data'")
    check_type(expr.get('data'), info, "'data'", allow_dict=not boxed)


def _check_flags(expr: Dict[str, Any], info: SourceInfo) -> None:
    for key in ('gen', 'success-response'):
        if key in expr and expr[key] is not False:
            raise QAPIError(info, "flag '%s' may only use false value" % key)
    for key in ('boxed', 'allow-oob', 'allow-preconfig', 'coroutine'):
        if key in expr and expr[key] is not True:
            raise QAPIError(info, "flag '%s' may only use true value" % key)
    if 'allow-oob' in expr and 'coroutine' in expr:
        raise QAPIError(info, "flags 'allow-oob' and 'coroutine' are "
                        "incompatible")


_CHECKS = {
    'enum': _check_enum, 'struct': _check_struct, 'union': _check_union,
    'alternate': _check_alternate, 'command': _check_command,
    'event': _check_event,
}


def definition_meta(expr: Dict[str, Any], info: SourceInfo) -> str:
    metas = [m for m in METAS if m in expr]
    if len(metas) != 1:
        raise QAPIError(info, 'expression must have exactly one key %s'
                        % ', '.join("'%s'" % m for m in METAS))
    return metas[0]


def check_expr(elem: Expr) -> Optional[str]:
    """Check one top-level expression; return its meta-type, or None for
    an include marker."""
    expr, info, doc = elem.expr, elem.info, elem.doc
    if 'include' in expr:
        return None
    meta = definition_meta(expr, info)
    name = expr[meta]
    check_name_is_str(name, info, "'%s'" % meta)
    info.set_defn(meta, name)
    check_defn_name(name, info, meta)
    if doc:
        if doc.symbol != name:
            raise QAPIError(info, "documentation comment is for '%s'"
                            % doc.symbol)
        doc.check_definition(meta, info)
    elif info.pragma.doc_required:
        raise QAPIError(info, 'documentation comment required')
    required, optional = _KEYS[meta]
    check_keys(expr, info, meta, required, optional)
    if meta == 'union':
        normalize_members(expr['base'])
        normalize_members(expr['data'])
    elif meta in ('struct', 'alternate', 'command', 'event'):
        normalize_members(expr.get('data'))
    _CHECKS[meta](expr, info)
    check_if(expr, info, meta)
    check_features(expr.get('features'), info)
    _check_flags(expr, info)
    return meta


def check_exprs(exprs: List[Expr]) -> None:
    for elem in exprs:
        check_expr(elem)
