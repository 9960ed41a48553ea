import { COMMAND_NAMES, type CommandArgs, type CommandError, type CommandName } from './commands';
import type { FailurePolicy, MatchMode, ServerSettings } from './events';
import { DEFAULT_SETTINGS } from './settings-defaults';

/** Validation outcome: the typed value, or a one-line reason. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: CommandError };

const POLICIES: readonly FailurePolicy[] = ['unhandled', 'retained', 'handled'];
const MATCH_MODES: readonly MatchMode[] = ['line', 'exact'];
/** Longest text one `sendClient` may carry. */
export const MAX_CLIENT_TEXT = 64 * 1024;
/** Most built-in clients one `openClients` may open. */
export const MAX_CLIENTS_PER_OPEN = 1000;

function invalid<T>(message: string): Checked<T> {
  return { ok: false, error: { code: 'invalid-args', message } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Hostnames and IPv4/IPv6 literals; rejects whitespace, URLs and anything absurdly long. */
const HOST_PATTERN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]+)$/;

export function checkHost(host: unknown): Checked<string> {
  if (typeof host !== 'string' || host.length === 0) return invalid('Host must be a non-empty string');
  if (host.length > 253 || !HOST_PATTERN.test(host))
    return invalid(`Host "${host.slice(0, 60)}" is not a valid host name or IP address`);
  return { ok: true, value: host };
}

export function checkPort(port: unknown): Checked<number> {
  if (!isInt(port, 0, 65535))
    return invalid(`Port must be a whole number from 0 to 65535, got ${String(port).slice(0, 20)}`);
  return { ok: true, value: port };
}

export function checkCrashWord(word: unknown): Checked<string> {
  if (typeof word !== 'string' || word.length === 0 || word.length > 64) {
    return invalid('Crash word must be 1 to 64 characters');
  }
  if (/[\r\n]/.test(word)) return invalid('Crash word cannot contain a line break');
  return { ok: true, value: word };
}

/** Fills defaults and checks every field of a (possibly partial, possibly hostile) settings object. */
export function checkSettings(input: unknown): Checked<ServerSettings> {
  if (input !== undefined && !isRecord(input)) return invalid('Settings must be an object');
  const raw = { ...DEFAULT_SETTINGS, ...(input ?? {}) } as Record<string, unknown>;
  const unknownKeys = Object.keys(raw).filter((k) => !(k in DEFAULT_SETTINGS));
  if (unknownKeys.length > 0) return invalid(`Unknown setting "${unknownKeys[0]}"`);
  const host = checkHost(raw.host);
  if (!host.ok) return host;
  const port = checkPort(raw.port);
  if (!port.ok) return port;
  if (!POLICIES.includes(raw.policy as FailurePolicy)) {
    return invalid(`Policy must be one of ${POLICIES.join(', ')}`);
  }
  const crashWord = checkCrashWord(raw.crashWord);
  if (!crashWord.ok) return crashWord;
  if (!MATCH_MODES.includes(raw.match as MatchMode))
    return invalid(`Match mode must be one of ${MATCH_MODES.join(', ')}`);
  if (!isInt(raw.recvSize, 1, 1024 * 1024))
    return invalid('recv size must be a whole number from 1 to 1048576');
  return {
    ok: true,
    value: {
      host: host.value,
      port: port.value,
      policy: raw.policy as FailurePolicy,
      crashWord: crashWord.value,
      match: raw.match as MatchMode,
      recvSize: raw.recvSize,
    },
  };
}

function noArgs(args: unknown): Checked<Record<string, never>> {
  if (args === undefined || args === null || (isRecord(args) && Object.keys(args).length === 0)) {
    return { ok: true, value: {} };
  }
  return invalid('This command takes no arguments');
}

function idArg<K extends string>(args: unknown, key: K): Checked<Record<K, number>> {
  if (!isRecord(args) || !isInt(args[key], 1, Number.MAX_SAFE_INTEGER))
    return invalid(`${key} must be a positive whole number`);
  return { ok: true, value: { [key]: args[key] } as Record<K, number> };
}

type ArgCheckers = { [K in CommandName]: (args: unknown) => Checked<CommandArgs<K>> };

const ARG_CHECKERS: ArgCheckers = {
  start: (args) => {
    const settings = checkSettings(args ?? {});
    return settings.ok ? { ok: true, value: settings.value } : settings;
  },
  stop: noArgs,
  snapshot: noArgs,
  collectGarbage: noArgs,
  cancelTask: (args) => idArg(args, 'taskId'),
  closeConnection: (args) => idArg(args, 'taskId'),
  closeClient: (args) => idArg(args, 'clientId'),
  sendCrashWord: (args) => idArg(args, 'clientId'),
  openClients: (args) => {
    if (!isRecord(args) || !isInt(args.count, 1, MAX_CLIENTS_PER_OPEN)) {
      return invalid(`count must be a whole number from 1 to ${MAX_CLIENTS_PER_OPEN}`);
    }
    return { ok: true, value: { count: args.count } };
  },
  sendClient: (args) => {
    const id = idArg(args, 'clientId');
    if (!id.ok) return id;
    const rec = args as Record<string, unknown>;
    if (typeof rec.text !== 'string' || rec.text.length > MAX_CLIENT_TEXT) {
      return invalid(`text must be a string of at most ${MAX_CLIENT_TEXT} characters`);
    }
    if (typeof rec.appendNewline !== 'boolean') return invalid('appendNewline must be true or false');
    return {
      ok: true,
      value: { clientId: id.value.clientId, text: rec.text, appendNewline: rec.appendNewline },
    };
  },
};

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name);
}

/** Validates one command at a boundary (IPC, WebSocket): its name and its arguments. */
export function checkCommand(name: unknown, args: unknown): Checked<{ name: CommandName; args: unknown }> {
  if (!isCommandName(name))
    return {
      ok: false,
      error: { code: 'unknown-command', message: `Unknown command "${String(name).slice(0, 40)}"` },
    };
  const checked = (ARG_CHECKERS[name] as (a: unknown) => Checked<unknown>)(args);
  if (!checked.ok) return checked;
  return { ok: true, value: { name, args: checked.value } };
}
