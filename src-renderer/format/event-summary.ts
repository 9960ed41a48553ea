import { describeAttachedProcess, describeDetach } from '../../src-shared/attached-process';
import type { EngineEvent } from '../../src-shared/events';
import { previewText } from './payload';
import { formatBytes } from './quantity';
import { formatDuration } from './time';

/** One line describing an event for the log (what the subject column does not already say). */
export function summarizeEvent(e: EngineEvent): string {
  switch (e.kind) {
    case 'accepted':
      if (e.task && e.peerAddress === '') return `task ${e.task.name} created (${e.task.coroutine})`;
      return `Got a connection from ${e.peerAddress}:${e.peerPort}${e.task ? ` (${e.task.name}, ${e.task.coroutine})` : ''}`;
    case 'parked':
      return `await ${e.awaitPoint}${e.awaitDetail ? ` (${e.awaitDetail})` : ''}`;
    case 'received':
      return `${formatBytes(e.bytes)}  ${previewText(e.preview).slice(0, 80)}`;
    case 'echoed':
      return `${formatBytes(e.bytes)} echoed`;
    case 'completed':
      return 'client closed; task returned';
    case 'failed':
      return `${e.error.name}: ${e.error.message} [${e.policy}]${e.dangling ? ' connection left dangling' : ''}`;
    case 'cancelled':
      return `cancelled at await ${e.awaitPoint}${e.awaitDetail ? ` (${e.awaitDetail})` : ''} (${e.reason})`;
    case 'closed':
      return `socket closed: ${e.reason}${e.reset ? ' (reset)' : ''}`;
    case 'unretrieved':
      return `Task exception was never retrieved (via ${e.via}): ${e.error.message}`;
    case 'listening':
      return `listening on ${e.settings.host}:${e.port}, policy ${e.settings.policy}`;
    case 'stopping':
      return `stopping: cancelling ${e.live} live task${e.live === 1 ? '' : 's'}`;
    case 'stopped':
      return `stopped: ${e.cancelled} cancelled, ${e.forced} forced, in ${formatDuration(e.durationMs)}`;
    case 'gc-run':
      return e.available
        ? `garbage collected: ${e.finalized} task${e.finalized === 1 ? '' : 's'} finalized`
        : 'gc() unavailable';
    case 'attached':
      return `attached: ${describeAttachedProcess(e.process)}`;
    case 'detached':
      return describeDetach(e);
    case 'client-opened':
      return `connected from local port ${e.localPort}`;
    case 'client-sent':
      return `sent ${formatBytes(e.bytes)}  ${previewText(e.preview).slice(0, 80)}`;
    case 'client-received':
      return `received ${formatBytes(e.bytes)}  ${previewText(e.preview).slice(0, 80)}`;
    case 'client-closed':
      return `closed: ${e.reason}${e.message ? ` (${e.message})` : ''}`;
  }
}

/** Who an event is about: "task 12", "client 3" or "server". */
export function eventSubject(e: EngineEvent): string {
  if ('taskId' in e) return `task ${e.taskId}`;
  if ('clientId' in e) return `client ${e.clientId}`;
  return 'server';
}
