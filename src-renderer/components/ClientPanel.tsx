import { type ReactElement, useCallback, useMemo, useRef, useState } from 'react';
import { bytesToBase64 } from '../../src-shared/base64';
import { MAX_CLIENTS_PER_OPEN } from '../../src-shared/command-validation';
import { PAYLOAD_NOTATIONS, type PayloadNotation } from '../../src-shared/payload-notation';
import { useCommand } from '../hooks/use-command';
import { useFixedRowWindow } from '../hooks/use-fixed-row-window';
import { useThrottledStoreValue } from '../hooks/use-throttled-store-value';
import { REPLAY_REASON, useReplaying } from '../replay/replay-mode';
import { type AppState, appStore, useAppStore } from '../store/app-store';
import { tasksByPeerPort } from '../store/task-query';
import type { KeptTasks } from '../store/tasks-slice';
import { ClientRow } from './ClientRow';

const ROW_HEIGHT = 38;
/** The sticky column header above the first row (`.client-head`). */
const HEAD_HEIGHT = 28;
const OVERSCAN = 8;

const selectTasksWhenClients = (s: AppState): KeptTasks | null => (s.clients.size > 0 ? s.tasks : null);

const NOTATION_LABELS: Record<PayloadNotation, string> = { text: 'Text', hex: 'Hex' };

const NOTATION_HINTS: Record<PayloadNotation, string> = {
  text: 'Text: \\xNN for any byte, \\\\ for a backslash; each line you send ends with \\n.',
  hex: 'Hex: two digits a byte, spaces optional; exactly these bytes are sent.',
};

/** Text | Hex: how payloads are typed and echoes shown, for every row. */
function NotationSwitch({ notation }: { notation: PayloadNotation }) {
  return (
    <fieldset className="chip-group" data-testid="client-notation">
      <legend className="visually-hidden">Type and show bytes as</legend>
      {PAYLOAD_NOTATIONS.map((n) => (
        <button
          key={n}
          type="button"
          aria-pressed={notation === n}
          className={`chip${notation === n ? ' active' : ''}`}
          data-testid={`client-notation-${n}`}
          onClick={() => appStore.getState().setClientNotation(n)}
        >
          {NOTATION_LABELS[n]}
        </button>
      ))}
    </fieldset>
  );
}

/** The built-in client: open connections to the running server, send text, bytes or the crash word, close. */
export function ClientPanel() {
  const clients = useAppStore((s) => s.clients);
  const replaying = useReplaying();
  const listening = useAppStore((s) => s.status.phase === 'listening') && !replaying;
  const crashWord = useAppStore((s) => s.status.settings?.crashWord ?? s.draft.crashWord);
  const [count, setCount] = useState('1');
  const notation = useAppStore((s) => s.clientNotation);
  const drafts = useAppStore((s) => s.clientDrafts);
  const lastSent = useAppStore((s) => s.clientLastSent);
  const opener = useCommand();
  const actions = useCommand();
  const list = useMemo(() => [...clients.values()].reverse(), [clients]);
  // The client → task link only needs new tasks now and then, and nothing at all without clients (then
  // the panel does not render a few times a second for a busy server's tasks).
  const tasks = useThrottledStoreValue(selectTasksWhenClients, 250);
  const taskFor = useMemo(() => (tasks ? tasksByPeerPort(tasks) : new Map<number, number>()), [tasks]);
  const scroller = useRef<HTMLDivElement>(null);
  const { start, end, totalHeight } = useFixedRowWindow(
    scroller,
    list.length,
    ROW_HEIGHT,
    OVERSCAN,
    HEAD_HEIGHT,
  );
  const n = Number(count);
  const countValid = Number.isInteger(n) && n >= 1 && n <= MAX_CLIENTS_PER_OPEN;
  const { run: runAction } = actions;

  const onDraft = useCallback((id: number, text: string) => appStore.getState().setClientDraft(id, text), []);
  const onSend = useCallback(
    (id: number, bytes: Uint8Array, typed: string) => {
      const { clientNotation, noteClientSent } = appStore.getState();
      // Text is line-oriented (the echo server answers per line); hex sends exactly the bytes typed.
      const newline = clientNotation === 'text';
      noteClientSent(id, { kind: 'typed', notation: clientNotation, typed, newline });
      const payload = bytesToBase64(bytes);
      void runAction('sendClient', { clientId: id, payload, appendNewline: newline }, () => null);
    },
    [runAction],
  );
  const onCrash = useCallback(
    (id: number) => {
      const { noteClientSent } = appStore.getState();
      noteClientSent(id, { kind: 'crash-word', word: crashWord });
      void runAction('sendCrashWord', { clientId: id }, () => null);
    },
    [runAction, crashWord],
  );
  const onClose = useCallback(
    (id: number) => void runAction('closeClient', { clientId: id }, () => null),
    [runAction],
  );
  const onSelectTask = useCallback((taskId: number) => appStore.getState().selectTask(taskId), []);
  const visible: ReactElement[] = [];
  for (let index = start; index < end; index++) {
    const client = list[index]!;
    visible.push(
      <ClientRow
        key={client.id}
        client={client}
        taskId={taskFor.get(client.localPort)}
        draft={drafts.get(client.id) ?? ''}
        notation={notation}
        lastSent={lastSent.get(client.id)}
        inertReason={replaying ? REPLAY_REASON : null}
        top={index * ROW_HEIGHT}
        onDraft={onDraft}
        onSend={onSend}
        onCrash={onCrash}
        onClose={onClose}
        onSelectTask={onSelectTask}
      />,
    );
  }

  return (
    <div className="client-panel" data-testid="client-panel">
      <form
        className="panel-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (countValid)
            void opener.run(
              'openClients',
              { count: n },
              (v) => `Opened ${v.clientIds.length} connection${v.clientIds.length === 1 ? '' : 's'}.`,
            );
        }}
      >
        <label className="inline-field">
          Open
          <input
            className="count-input"
            data-testid="client-count"
            inputMode="numeric"
            value={count}
            aria-invalid={!countValid}
            onChange={(e) => setCount(e.target.value)}
          />
          connection{n === 1 ? '' : 's'}
        </label>
        <button
          type="submit"
          className="button"
          data-testid="client-open"
          disabled={!listening || !countValid || opener.outcome.busy}
        >
          Connect
        </button>
        <NotationSwitch notation={notation} />
        <span className="muted">
          {replaying
            ? REPLAY_REASON
            : listening
              ? `${NOTATION_HINTS[notation]} The crash word is "${crashWord}".`
              : 'Start the server to connect built-in clients.'}
        </span>
        {!countValid ? (
          <span className="inline-error" data-testid="client-count-error">
            1 to {MAX_CLIENTS_PER_OPEN} connections
          </span>
        ) : null}
        {opener.outcome.message ? (
          <span
            className={opener.outcome.failed ? 'inline-error' : 'inline-ok'}
            data-testid="client-open-result"
          >
            {opener.outcome.message}
          </span>
        ) : null}
        {actions.outcome.failed ? (
          <span className="inline-error" role="alert" data-testid="client-action-error">
            {actions.outcome.message}
          </span>
        ) : null}
      </form>
      <div className="client-body" ref={scroller} data-testid="client-list">
        <div className="grid-table">
          <div className="client-head">
            <span>Client</span>
            <span>Local port</span>
            <span>Server task</span>
            <span>State</span>
            <span className="cell-num">Sent</span>
            <span className="cell-num">Received</span>
            <span>Last sent / echo</span>
            <span>Send</span>
          </div>
          <div className="table-canvas" style={{ height: totalHeight }}>
            {visible}
          </div>
        </div>
        {list.length === 0 ? <p className="empty">No built-in clients yet.</p> : null}
      </div>
    </div>
  );
}
