"""qapi-client-MODULE.{h,c}: typed QMP client functions.

For each command NAME (those with 'gen': false too: the server has
them all the same), with the arguments as the generated handler takes
them:

    bool qmp_client_NAME(QmpClient *c, ARG..., RET *ret, QapiError **errp);

which writes "arguments" with the generated JSON writers, sends the
command over the <qapi/qmp-client.h> connection, and reads the reply's
"return" strictly with the generated readers (no ret without 'returns';
none either for 'success-response': false, whose reply never comes).
For each event NAME, a typed handler:

    typedef void QmpClientNameFunc(QmpClient *c, const T *data,
                                   const QmpEventTime *ts, void *opaque);
    bool qmp_client_on_NAME(QmpClient *c, QmpClientNameFunc *cb, void *opaque);

(no data parameter for an event without data); the event's data is
decoded strictly before the callback runs.
"""

import re
from typing import List

from ..cnames import c_name
from ..frontend.entities import BuiltinType, Command, Event, ObjectType, Type
from .commands import has_args, wrap_calls
from .ctype import arg_params, c_decl, free_stmt, is_pointer, type_c_name
from .events import _inits
from .gen import CFile, c_string, cgen, guard, indent
from .json import read_value


def call_name(cmd: Command) -> str:
    return 'qmp_client_' + c_name(cmd.name)


def on_name(ev: Event) -> str:
    return 'qmp_client_on_' + c_name(ev.name.lower())


def camel(name: str) -> str:
    return ''.join(p.capitalize() for p in re.split(r'[-_.]', name) if p)


def _params(cmd: Command) -> str:
    params = ['QmpClient *c'] + arg_params(cmd.arg_type, cmd.boxed)
    if cmd.ret_type is not None and cmd.success_response:
        params.append(c_decl(cmd.ret_type, '*ret'))
    params.append('QapiError **errp')
    return ', '.join(params)


def _request(cmd: Command) -> 'tuple[str, str]':
    """The declarations building the request and the statements writing
    its arguments, indented for a function body."""
    name = c_string(cmd.name)
    if not has_args(cmd):
        return ('    QapiOutput *req = qmp_client_request(c, %s, false);\n'
                % name, '')
    arg = cmd.arg_type
    assert isinstance(arg, ObjectType)
    tname = type_c_name(arg)
    if cmd.boxed:
        decl, value = '', 'arg'
    else:
        decl = '    %s args = {\n%s    };\n' % (tname, indent(_inits(arg), 2))
        value = '&args'
    line = '    QapiOutput *req = qmp_client_request(c, %s, true);\n' % name
    if len(line) > 81:
        line = wrap_calls(line)
    return decl + line, ('    if (req) {\n        qapi_out_%s(req, %s);\n'
                         '    }\n' % (tname, value))


def _zero(t: Type) -> str:
    """The initial value of a return value: set by the reader only on
    success, but compilers cannot always tell."""
    if is_pointer(t):
        return 'NULL'
    if isinstance(t, BuiltinType):
        return {'bool': 'false', 'number': '0.0'}.get(t.name, '0')
    return '0'      # an enum: its first value


_CALL = '''
    %(head)s
    {
    %(decls)s    %(decl)s = %(init)s;
        QapiInput *rsp;
        bool ok;

    %(write)s    rsp = qmp_client_call(c, req, errp);
        if (!rsp) {
            return false;
        }
        ok = %(read)s;
        if (!qmp_client_call_end(c, rsp, ok, errp)) {
            return false;
        }
    %(store)s    return true;
    }
    '''


def gen_command(cmd: Command) -> 'tuple[str, str]':
    """The declaration and the definition of qmp_client_NAME()."""
    head = 'bool %s(%s)' % (call_name(cmd), _params(cmd))
    decls, write = _request(cmd)
    ret = cmd.ret_type
    if not cmd.success_response or ret is None:
        fn = 'send' if not cmd.success_response else 'call_void'
        code = '%s\n{\n%s\n%s    return qmp_client_%s(c, req, errp);\n}\n' % (
            head, decls, write, fn)
        return guard(cmd.ifcond, head + ';\n'), guard(cmd.ifcond, code)
    release = free_stmt(ret, 'retval')
    if release:
        store = ('    if (ret) {\n        *ret = retval;\n    } else {\n'
                 '        %s\n    }\n' % release)
    else:
        store = '    if (ret) {\n        *ret = retval;\n    }\n'
    code = cgen(_CALL, head=head, decls=decls, decl=c_decl(ret, 'retval'),
                init=_zero(ret), write=write, store=store,
                read=read_value(ret, 'retval').replace('(in, ', '(rsp, ', 1))
    return guard(cmd.ifcond, head + ';\n'), guard(cmd.ifcond, code)


def _func_type(ev: Event) -> str:
    return 'QmpClient%sFunc' % camel(ev.name)


def _cb_params(ev: Event) -> str:
    data = []
    if ev.arg_type is not None:
        data = ['const %s *data' % type_c_name(ev.arg_type)]
    return ', '.join(['QmpClient *c'] + data
                     + ['const QmpEventTime *ts', 'void *opaque'])


def gen_event_decl(ev: Event) -> str:
    return guard(ev.ifcond, cgen('''
        typedef void %(ftype)s(%(params)s);
        bool %(on)s(QmpClient *c, %(ftype)s *cb, void *opaque);
        ''', ftype=_func_type(ev), params=_cb_params(ev), on=on_name(ev)))


def _cast(htype: str) -> str:
    """The handler's own structure, from the one the client knows."""
    line = 'const %s *h = (const %s *)base;\n' % (htype, htype)
    if len(line) > 76:
        line = line.replace('= ', '=\n    ', 1)
    return line


# An event handler: the client's QmpClientHandler first, so that the
# deliver function gets its own structure back from a pointer to it.
_HANDLER = '''
    typedef struct %(htype)s {
        QmpClientHandler base;
        %(ftype)s *cb;
        void *opaque;
    } %(htype)s;

    static bool qmp_client_deliver_%(suffix)s(QmpClient *c, \
        const QmpClientHandler *base, QapiInput *in, const QmpEventTime *ts, \
        QapiError **errp)
    {
    %(cast)s%(decode)s    return true;
    }

    bool %(on)s(QmpClient *c, %(ftype)s *cb, void *opaque)
    {
        %(htype)s *h;

        if (!cb) {
            return qmp_client_set_handler(c, %(name)s, NULL);
        }
        h = malloc(sizeof(*h));
        if (!h) {
            return false;
        }
        h->base.deliver = qmp_client_deliver_%(suffix)s;
        h->base.has_data = %(has_data)s;
        h->cb = cb;
        h->opaque = opaque;
        return qmp_client_set_handler(c, %(name)s, &h->base);
    }
    '''


def gen_event_def(ev: Event) -> str:
    suffix = c_name(ev.name.lower())
    htype = 'QmpClient%sHandler' % camel(ev.name)
    if ev.arg_type is not None:
        tname = type_c_name(ev.arg_type)
        decode = cgen('''
            %(type)s *data = NULL;

            if (!qapi_in_%(type)s(in, &data, errp)) {
                return false;
            }
            h->cb(c, data, ts, h->opaque);
            qapi_free_%(type)s(data);
            ''', type=tname)
    else:
        decode = cgen('''

            (void)in;
            (void)errp;
            h->cb(c, ts, h->opaque);
            ''')
    has_data = 'true' if ev.arg_type is not None else 'false'
    code = cgen(_HANDLER, htype=htype, ftype=_func_type(ev), suffix=suffix,
                cast=indent(_cast(htype)), decode=indent(decode),
                on=on_name(ev), name=c_string(ev.name), has_data=has_data)
    return guard(ev.ifcond, code)


def emit_client(h: CFile, c: CFile, commands: List[Command],
                events: List[Event]) -> None:
    for cmd in commands:
        decl, code = gen_command(cmd)
        h.add(decl)
        c.add(code)
    for ev in events:
        h.add(gen_event_decl(ev))
        c.add(gen_event_def(ev))
