import type { AttachedProcess, DetachedEvent, EngineEvent } from './events';

/** The script's file name, without its directory (either separator: the probe may run on Windows). */
export function scriptName(script: string): string {
  const parts = script.split(/[\\/]/);
  return parts[parts.length - 1] || script;
}

/** One line naming an attached process, as the status banner, the log and the CLI show it. */
export function describeAttachedProcess(p: AttachedProcess): string {
  return `${p.implementation === 'CPython' ? 'Python' : p.implementation} ${p.python} · pid ${p.pid} · ${scriptName(p.script)}`;
}

/** What a `detached` event means, in words. */
export function describeDetach(
  e: Pick<DetachedEvent, 'pid' | 'reason' | 'unended' | 'probeDropped'>,
): string {
  const how = e.reason === 'exit' ? 'exited' : 'disconnected without saying goodbye (killed or lost)';
  const unended =
    e.unended > 0 ? `; ${e.unended} task${e.unended === 1 ? '' : 's'} never reported an end` : '';
  const dropped = e.probeDropped > 0 ? `; its probe dropped ${e.probeDropped} events` : '';
  return `Python process ${e.pid} ${how}${unended}${dropped}`;
}

/** An attached Python process as the status shows it; kept after it exits, until the next run starts. */
export interface AttachState {
  process: AttachedProcess;
  /** False once the probe disconnected; `exit` then says how. */
  connected: boolean;
  exit: DetachedEvent['reason'] | null;
}

/** Where a probe can attach while the host listens for one, and the exact command that does it. */
export interface AttachListener {
  host: string;
  port: number;
  /** The probe command line to copy, token included, e.g. `PYTHONPATH=… python3 -m echoscope_probe …`. */
  command: string;
}

/**
 * The status's `attached` after one event, from events alone (the renderer's store and a replay fold the
 * same way): an attach sets it, a detach marks it exited, a start of the built-in server clears it.
 */
export function foldAttachState(prev: AttachState | undefined, e: EngineEvent): AttachState | undefined {
  switch (e.kind) {
    case 'attached':
      return { process: e.process, connected: true, exit: null };
    case 'detached':
      return prev ? { ...prev, connected: false, exit: e.reason } : prev;
    case 'listening':
      return undefined;
    default:
      return prev;
  }
}
