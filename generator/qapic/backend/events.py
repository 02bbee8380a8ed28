"""qapi-events-MODULE.{h,c} and qapi-emit-events.{h,c}: event senders.

For each event NAME, QEMU's signature:

    void qapi_event_send_NAME(ARG..., );     (or (T *arg) when boxed)

builds the event text and hands it to the runtime's sinks
(<qapi/event.h>).  qapi-emit-events.h has the QAPIEvent enum.
"""

from typing import List

from ..cnames import c_enum_const, c_name
from ..frontend.entities import Event, ObjectType
from .ctype import arg_params, need_has, param_type, type_c_name
from .gen import CFile, c_string, cgen, guard, indent


def event_enum_name(prefix: str) -> str:
    return c_name(prefix, protect=False) + 'QAPIEvent'


def _params(ev: Event) -> str:
    return ', '.join(arg_params(ev.arg_type, ev.boxed)) or 'void'


def send_name(ev: Event) -> str:
    return 'qapi_event_send_' + c_name(ev.name.lower())


def gen_event_decl(ev: Event) -> str:
    return guard(ev.ifcond, 'void %s(%s);\n' % (
        send_name(ev), _params(ev)))


def gen_event_def(ev: Event) -> str:
    arg = ev.arg_type
    decl = data = ''
    if arg is not None:
        name = type_c_name(arg)
        if ev.boxed:
            value = 'arg'
        else:
            value = '&param'
            decl = '%s param = {\n%s};\n' % (name, indent(_inits(arg)))
        data = ('qapi_output_member(out, "data");\nqapi_out_%s(out, %s);\n'
                % (name, value))
    return guard(ev.ifcond, cgen('''
        void %(fn)s(%(params)s)
        {
        %(decl)s    QapiOutput *out = qapi_event_start(%(name)s);

            if (!out) {
                return;
            }
        %(data)s    qapi_event_send(out, %(name)s);
        }
        ''', fn=send_name(ev), params=_params(ev),
        decl=indent(decl), data=indent(data), name=c_string(ev.name)))


def _inits(arg: ObjectType) -> str:
    """Designated initializers filling the argument struct from the
    parameters (strings are passed const, stored non-const)."""
    inits = ''
    for m in arg.members:
        name = c_name(m.name)
        if need_has(m):
            inits += '.has_%s = has_%s,\n' % (name, name)
        if param_type(m.type) == 'const char *':
            inits += '.%s = qapi_unconst(%s),\n' % (name, name)
        else:
            inits += '.%s = %s,\n' % (name, name)
    return inits


def emit_events(h: CFile, c: CFile, events: List[Event]) -> None:
    for ev in events:
        h.add(gen_event_decl(ev))
        c.add(gen_event_def(ev))


def emit_event_enum(h: CFile, c: CFile, events: List[Event],
                    prefix: str) -> None:
    enum = event_enum_name(prefix)
    consts = ''.join(guard(ev.ifcond, '    %s,\n' % c_enum_const(enum, ev.name))
                     for ev in events)
    names = ''.join(guard(ev.ifcond, '    [%s] = %s,\n'
                          % (c_enum_const(enum, ev.name), c_string(ev.name)))
                    for ev in events)
    h.add(cgen('''
        typedef enum %(enum)s {
        %(consts)s    %(max)s,
        } %(enum)s;

        extern const QapiEnumLookup %(enum)s_lookup;
        ''', enum=enum, consts=consts, max=c_enum_const(enum, '_MAX')))
    c.add(cgen('''
        static const char *const %(enum)s_names[] = {
        %(names)s    [%(max)s] = NULL,
        };

        const QapiEnumLookup %(enum)s_lookup = {
            .array = %(enum)s_names,
            .size = %(max)s,
        };
        ''', enum=enum, names=names, max=c_enum_const(enum, '_MAX')))
