"""QMP itself: what each message of a capture must be (qmp-spec.rst).

A Session reads the messages of one capture in order.  Commands are
checked against the schema and remembered until their reply, which is
found by "id" (any JSON value) or, for commands without one, in order;
the reply is then held to the command's return type.  Events are held
to their data type, the greeting and error replies to QMP's own shapes
(protocol.json; the schema's own QapiErrorClass if it has one).  A
greeting starts a new connection: commands still waiting are forgotten.
"""

import collections
import json
import os
from typing import Any, Deque, Dict, FrozenSet, List, Optional

from ..frontend.entities import Command, EnumType, Event, ObjectType
from ..frontend.schema import Schema
from .capture import Message
from .checker import (Check, Checkers, Conditions, Problems, json_kind, str_,
                      under)

PROTOCOL_SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               'protocol.json')

_COMMAND_KEYS = frozenset(('execute', 'exec-oob', 'arguments', 'id'))
_REPLY_KEYS = frozenset(('return', 'error', 'id'))
_EVENT_KEYS = frozenset(('event', 'data', 'timestamp'))


class CommandSpec:
    __slots__ = ('name', 'args', 'ret', 'allow_oob', 'success_response')

    def __init__(self, name: str, args: Check, ret: Check, allow_oob: bool,
                 success_response: bool) -> None:
        self.name = name
        self.args = args
        self.ret = ret
        self.allow_oob = allow_oob
        self.success_response = success_response


class Pending:
    """A command that awaits its reply."""

    __slots__ = ('name', 'spec', 'oob')

    def __init__(self, name: Optional[str],
                 spec: Optional[CommandSpec]) -> None:
        self.name = name
        self.spec = spec
        self.oob: Optional[bool] = None     # qmp_capabilities: enables oob


class Model:
    """The schema checked against, with QMP's own definitions as the
    fallback for the protocol commands the schema lacks."""

    def __init__(self, schema: Schema, conds: Conditions) -> None:
        self.schema = schema
        self.protocol = Schema(PROTOCOL_SCHEMA)
        self.conds = conds
        self.checkers = Checkers(conds)
        self.proto_checkers = Checkers(Conditions())
        self._commands: Dict[str, Optional[CommandSpec]] = {}
        self._events: Dict[str, Optional[Check]] = {}
        self.empty = Checkers.struct([], frozenset())
        self.greeting = self.proto_checkers.of(self._proto_type('QMPGreeting'))
        self.error = self._error_checker()
        self.timestamp = self.proto_checkers.of(
            self._proto_type('QMPTimestamp'))

    def _error_checker(self) -> Check:
        """QMPError, with the schema's own QapiErrorClass if it has
        one (QEMU's schema does): its classes are the ones to expect."""
        enum = self.schema.lookup_type('QapiErrorClass')
        if not isinstance(enum, EnumType):
            return self.proto_checkers.of(self._proto_type('QMPError'))
        return Checkers.struct([('class', self.checkers.of(enum), False),
                                ('desc', str_, False)],
                               frozenset(('class', 'desc')))

    def _proto_type(self, name: str) -> ObjectType:
        typ = self.protocol.lookup_type(name)
        assert isinstance(typ, ObjectType)
        return typ

    def command(self, name: str) -> Optional[CommandSpec]:
        if name in self._commands:
            return self._commands[name]
        spec = None
        cmd = self.schema.lookup_entity(name)
        checkers = self.checkers
        if not isinstance(cmd, Command) or not self.conds.holds(cmd.ifcond):
            cmd = self.protocol.lookup_entity(name)
            checkers = self.proto_checkers
        if isinstance(cmd, Command):
            if cmd.arg_type is None:
                args = self.empty if cmd.gen else _accept
            else:
                args = checkers.object_of(cmd.arg_type, open_=not cmd.gen)
            ret = checkers.of(cmd.ret_type) if cmd.ret_type else self.empty
            spec = CommandSpec(name, args, ret, cmd.allow_oob,
                               cmd.success_response)
        self._commands[name] = spec
        return spec

    def event(self, name: str) -> Optional[Check]:
        if name in self._events:
            return self._events[name]
        check = None
        ev = self.schema.lookup_entity(name)
        if isinstance(ev, Event) and self.conds.holds(ev.ifcond):
            check = (self.checkers.of(ev.arg_type) if ev.arg_type
                     else self.empty)
        self._events[name] = check
        return check


def _accept(value: Any) -> Problems:
    return None


def _id_key(ident: Any) -> Any:
    t = type(ident)
    if t is str or t is int:
        return (t, ident)
    return json.dumps(ident, sort_keys=True)


def _quote(path: str, msg: str) -> str:
    return "'%s': %s" % (path, msg)


class Session:
    def __init__(self, model: Model, check_commands: bool = True) -> None:
        self.model = model
        self.check_commands = check_commands
        self.by_id: Dict[Any, Deque[Pending]] = {}
        self.in_order: Deque[Pending] = collections.deque()
        # Whether the client enabled capability "oob"; None: the capture
        # does not show the negotiation.
        self.oob: Optional[bool] = None

    def check(self, msg: Message) -> List[str]:
        """The violations of one message, each 'CONTEXT: WHAT'."""
        value = msg.value
        if msg.error or type(value) is not dict:
            if msg.direction == '->':
                # The server answers it with an error, without "id".
                self.in_order.append(Pending(None, None))
            if msg.error:
                return [msg.error]
            return ['message is not a JSON object (got %s)' % json_kind(value)]
        found = ['%s: duplicate member' % _q(p) for p in msg.dups]
        if msg.direction == '->':
            ctx = self._command(value, found)
        elif 'execute' in value or 'exec-oob' in value:
            if msg.direction == '<-':
                found.append('a command sent by the server')
            ctx = self._command(value, found)
        else:
            if not msg.ascii:
                found.append('server output is not ASCII')
            if 'return' in value or 'error' in value:
                ctx = self._reply(value, found)
            elif 'event' in value:
                ctx = self._event(value, found)
            elif 'QMP' in value:
                ctx = self._greeting(value, found)
            else:
                return ["not a QMP message: no 'execute', 'exec-oob', "
                        "'return', 'error', 'event' or 'QMP' member"]
        if not found:
            return found
        return ['%s: %s' % (ctx, f) for f in found]

    # --- commands ------------------------------------------------------------

    def _command(self, value: Dict[str, Any], found: List[str]) -> str:
        oob = 'exec-oob' in value
        key = 'exec-oob' if oob else 'execute'
        name = value.get(key)
        spec = None
        if type(name) is not str:
            found.append(_quote(key, 'expected string, got %s'
                                % json_kind(name)) if key in value
                         else "'execute': required member missing")
        else:
            spec = self.model.command(name)
            if spec is None:
                found.append('no such command in the schema')
        args = value.get('arguments', {})
        if self.check_commands:
            found += self._envelope(value, _COMMAND_KEYS)
            if oob and 'execute' in value:
                found.append("'exec-oob': conflicts with 'execute'")
            if type(args) is not dict:
                found.append(_quote('arguments', 'expected object, got %s'
                                    % json_kind(args)))
            elif spec is not None:
                if oob and not spec.allow_oob:
                    found.append('out-of-band execution of a command '
                                 "without 'allow-oob'")
                if oob and self.oob is False:
                    found.append("'exec-oob' without capability 'oob' "
                                 'enabled')
                found += _report('arguments', spec.args(args))
        else:
            del found[:]
        pending = Pending(name if type(name) is str else None, spec)
        if name == 'qmp_capabilities' and type(args) is dict:
            enable = args.get('enable')
            pending.oob = type(enable) is list and 'oob' in enable
        if 'id' in value:
            self.by_id.setdefault(_id_key(value['id']),
                                  collections.deque()).append(pending)
        elif spec is None or spec.success_response:
            self.in_order.append(pending)
        if not found:
            return ''
        return _with_id("command '%s'" % name if type(name) is str
                        else 'command', value)

    # --- replies -------------------------------------------------------------

    def _reply(self, value: Dict[str, Any], found: List[str]) -> str:
        has_id = 'id' in value
        pending = None
        if has_id:
            key = _id_key(value['id'])
            queue = self.by_id.get(key)
            if queue:
                pending = queue.popleft()
                if not queue:
                    del self.by_id[key]
        elif self.in_order:
            pending = self.in_order.popleft()
        found += self._envelope(value, _REPLY_KEYS)
        if 'error' in value:
            if 'return' in value:
                found.append("'return': conflicts with 'error'")
            found += _report('error', self.model.error(value['error']))
            if pending is None and has_id:
                found.append('no command was sent with this id')
        else:
            if pending is None:
                found.append('no command awaits a reply' if not has_id
                             else 'no command was sent with this id')
            else:
                if pending.oob is not None:
                    self.oob = pending.oob
                if pending.spec is not None:
                    found += _report('return',
                                     pending.spec.ret(value['return']))
        if not found:
            return ''
        if pending is not None and pending.name is not None:
            return _with_id("reply to '%s'" % pending.name, value)
        return _with_id('reply', value)

    # --- events, greeting ----------------------------------------------------

    def _event(self, value: Dict[str, Any], found: List[str]) -> str:
        name = value['event']
        if type(name) is not str:
            found.append("'event': expected string, got %s" % json_kind(name))
            return 'event'
        found += self._envelope(value, _EVENT_KEYS)
        if 'timestamp' not in value:
            found.append("'timestamp': required member missing")
        else:
            found += _report('timestamp', self._timestamp(value['timestamp']))
        check = self.model.event(name)
        if check is None:
            found.append('no such event in the schema')
        else:
            found += _report('data', check(value.get('data', {})))
        return "event '%s'" % name

    def _timestamp(self, ts: Any) -> Problems:
        bad = self.model.timestamp(ts)
        if bad:
            return bad
        sec, usec = ts['seconds'], ts['microseconds']
        if (sec, usec) == (-1, -1) or (sec >= 0 and 0 <= usec <= 999999):
            return None
        return [('', 'not a time: seconds %d, microseconds %d (want '
                 'microseconds 0 to 999999, or both -1)' % (sec, usec))]

    def _greeting(self, value: Dict[str, Any], found: List[str]) -> str:
        # A new connection: its commands start afresh.
        self.by_id.clear()
        self.in_order.clear()
        self.oob = None
        found += _report('', self.model.greeting(value))
        return 'greeting'

    @staticmethod
    def _envelope(value: Dict[str, Any], known: FrozenSet[str]) -> List[str]:
        if known.issuperset(value):
            return []
        return [_quote(k, 'unexpected member') for k in value
                if k not in known]


def _q(path: str) -> str:
    return "'%s'" % path


def _report(where: str, problems: Problems) -> List[str]:
    if not problems:
        return []
    if where:
        problems = under(where, problems)
    return [_quote(path, msg) for path, msg in problems]


def _with_id(ctx: str, value: Dict[str, Any]) -> str:
    if 'id' not in value:
        return ctx
    return '%s (id %s)' % (ctx, _show(value['id']))


def _show(ident: Any) -> str:
    """An id as the report shows it: compact JSON, cut when long."""
    try:
        text = json.dumps(ident, separators=(',', ':'))
    except (RecursionError, ValueError):
        text = '...'
    return text if len(text) <= 40 else text[:37] + '...'
