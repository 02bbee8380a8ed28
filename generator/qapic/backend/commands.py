"""qapi-commands-MODULE.{h,c}: command marshallers.

For each command NAME whose 'gen' is not false, the header declares
the handler the application implements, with QEMU's signature:

    RET qmp_NAME(ARG..., QapiError **errp);      (or (T *arg, ...) when boxed)

and the marshaller generated here:

    void qmp_marshal_NAME(QapiInput *args, QapiOutput *out, QapiError **errp);

which reads the arguments object strictly from @args, calls the handler
and, if it succeeded, writes its return value to @out (an empty object
when the command has no 'returns'), freeing arguments and return value.
The main module's files also hold PREFIXqmp_init_marshal(), which
registers every generated marshaller with its flags (<qapi/dispatch.h>).
Commands with 'gen': false get nothing: the application writes and
registers their marshallers itself, as in QEMU.
"""

from typing import List, Optional

from ..cnames import c_name
from ..frontend.entities import Command, ObjectType, Type
from .ctype import (arg_params, c_decl, c_type, free_stmt, need_has,
                    type_c_name)
from .gen import CFile, c_string, cgen, guard, indent
from .json import write_value


def handler_name(cmd: Command) -> str:
    return 'qmp_' + c_name(cmd.name)


def marshal_name(cmd: Command) -> str:
    return 'qmp_marshal_' + c_name(cmd.name)


def init_name(prefix: str) -> str:
    return c_name(prefix, protect=False) + 'qmp_init_marshal'


def has_args(cmd: Command) -> bool:
    return cmd.boxed or (cmd.arg_type is not None
                         and not cmd.arg_type.is_empty())


def gen_params(cmd: Command) -> str:
    return ', '.join(arg_params(cmd.arg_type, cmd.boxed) + ['QapiError **errp'])


def ret_c_type(ret: Optional[Type]) -> str:
    return c_type(ret) if ret is not None else 'void'


def gen_command_decl(cmd: Command) -> str:
    ctype = ret_c_type(cmd.ret_type)
    sep = '' if ctype.endswith('*') else ' '
    return guard(cmd.ifcond, cgen(
        '''
        %(ctype)s%(sep)s%(handler)s(%(params)s);
        void %(marshal)s(QapiInput *args, QapiOutput *out, QapiError **errp);
        ''', ctype=ctype, sep=sep, handler=handler_name(cmd),
        params=gen_params(cmd), marshal=marshal_name(cmd)))


def _call_args(cmd: Command) -> str:
    arg = cmd.arg_type
    if cmd.boxed:
        return '&arg, '
    if arg is None:
        return ''
    out = ''
    for m in arg.members:
        if need_has(m):
            out += 'arg.has_%s, ' % c_name(m.name)
        out += 'arg.%s, ' % c_name(m.name)
    return out


def gen_marshal(cmd: Command) -> str:
    ret = cmd.ret_type
    decls = 'QapiError *err = NULL;\n'
    if ret is not None:
        decls += '%s;\n' % c_decl(ret, 'retval')
    if has_args(cmd):
        arg = cmd.arg_type
        assert isinstance(arg, ObjectType)
        name = type_c_name(arg)
        decls += '%s arg;\n' % name
        read = cgen(
            '''
            memset(&arg, 0, sizeof(arg));
            if (!qapi_in_%(name)s_fill(args, &arg, errp)) {
                return;
            }
            if (!qapi_input_finish(args, errp)) {
                qapi_free_%(name)s_members(&arg);
                return;
            }
            ''', name=name)
        cleanup = 'qapi_free_%s_members(&arg);\n' % name
    else:
        read = cgen(
            '''
            if (!qmp_marshal_no_args(args, errp)) {
                return;
            }
            ''')
        cleanup = ''
    call = '%s(%s&err);\n' % (handler_name(cmd), _call_args(cmd))
    if ret is not None:
        call = 'retval = ' + call
        write = write_value(ret, 'retval') + '\n'
        release = free_stmt(ret, 'retval')
        if release:
            cleanup = release + '\n' + cleanup
    else:
        write = 'qapi_output_start_object(out);\nqapi_output_end_object(out);\n'
    return guard(cmd.ifcond, wrap_calls(cgen(
        '''
        void %(marshal)s(QapiInput *args, QapiOutput *out, QapiError **errp)
        {
        %(decls)s
        %(read)s    %(call)s    if (err) {
                qapi_error_propagate(errp, err);
            } else {
        %(write)s    }
        %(cleanup)s}
        ''', marshal=marshal_name(cmd), decls=indent(decls),
        read=indent(read), call=call, write=indent(write, 2),
        cleanup=indent(cleanup))))


def wrap_calls(code: str, width: int = 80) -> str:
    """Wrap the long call statements of a block at their arguments,
    aligned under the first one."""
    out = []
    for line in code.splitlines(True):
        body = line.rstrip('\n')
        if len(body) <= width or not body.endswith(');') or '(' not in body:
            out.append(line)
            continue
        head, _, rest = body.partition('(')
        pad = ' ' * (len(head) + 1)
        cur = head + '('
        first = True
        for arg in rest.split(', '):
            if first or len(cur) + len(arg) + 2 <= width:
                cur += arg if first else ' ' + arg
            else:
                out.append(cur + '\n')
                cur = pad + arg
            first = False
            if not arg.endswith(');'):
                cur += ','
        out.append(cur + '\n')
    return ''.join(out)


def options(cmd: Command) -> str:
    flags = []
    if not cmd.success_response:
        flags.append('QMP_CMD_NO_SUCCESS_RESP')
    if cmd.allow_oob:
        flags.append('QMP_CMD_ALLOW_OOB')
    if cmd.allow_preconfig:
        flags.append('QMP_CMD_ALLOW_PRECONFIG')
    if cmd.coroutine:
        flags.append('QMP_CMD_COROUTINE')
    names = [f.name for f in cmd.features]
    if 'deprecated' in names:
        flags.append('QMP_CMD_DEPRECATED')
    if 'unstable' in names:
        flags.append('QMP_CMD_UNSTABLE')
    return ' | '.join(flags) or '0'


def gen_register(cmd: Command) -> str:
    """The registration of one command, indented for the body of
    qmp_init_marshal(), with its #if at the left margin."""
    return guard(cmd.ifcond, wrap_calls(indent(cgen(
        '''
        qmp_register_command(cmds, %(name)s, %(marshal)s, %(opts)s);
        ''', name=c_string(cmd.name), marshal=marshal_name(cmd),
        opts=options(cmd)))))


def emit_commands(h: CFile, c: CFile, commands: List[Command]) -> None:
    for cmd in commands:
        if not cmd.gen:
            continue
        h.add(gen_command_decl(cmd))
        c.add(gen_marshal(cmd))


def emit_init(h: CFile, c: CFile, commands: List[Command],
              prefix: str) -> None:
    """PREFIXqmp_init_marshal(), registering every generated command of
    the whole schema (the main module's header includes all others)."""
    regs = ''.join(gen_register(cmd) for cmd in commands if cmd.gen)
    unused = '' if any(not cmd.ifcond for cmd in commands if cmd.gen) \
        else '(void)cmds;\n'
    h.add('void %s(QmpCommandList *cmds);\n' % init_name(prefix))
    c.add(cgen(
        '''
        void %(fn)s(QmpCommandList *cmds)
        {
        %(regs)s%(unused)s}
        ''', fn=init_name(prefix), regs=regs, unused=indent(unused)))
