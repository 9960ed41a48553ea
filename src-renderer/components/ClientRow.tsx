import { memo, useMemo } from 'react';
import { base64ToBytes } from '../../src-shared/base64';
import { MAX_CLIENT_PAYLOAD } from '../../src-shared/command-validation';
import type { ClientView } from '../../src-shared/commands';
import { formatPayload, type PayloadNotation, parsePayload } from '../../src-shared/payload-notation';
import { formatBytes } from '../format/quantity';
import type { LastSent } from '../store/client-input-slice';

interface ClientRowProps {
  client: ClientView;
  taskId: number | undefined;
  draft: string;
  notation: PayloadNotation;
  lastSent: LastSent | undefined;
  /** Why the row cannot act (a replay has no live connection behind it), or null. */
  inertReason: string | null;
  top: number;
  onDraft: (clientId: number, text: string) => void;
  onSend: (clientId: number, bytes: Uint8Array, typed: string) => void;
  onCrash: (clientId: number) => void;
  onClose: (clientId: number) => void;
  onSelectTask: (taskId: number) => void;
}

const CLOSE_REASONS: Record<NonNullable<ClientView['closeReason']>, string> = {
  eof: 'server closed (EOF)',
  reset: 'connection reset',
  local: 'closed here',
  error: 'error',
};

const PLACEHOLDERS: Record<PayloadNotation, string> = {
  text: 'text, \\xNN for a byte',
  hex: 'e.g. de ad be ef 0a',
};

/** The draft as bytes to send, or why it cannot be sent (null: nothing typed in hex, nothing to say). */
function checkDraft(
  draft: string,
  notation: PayloadNotation,
): { bytes: Uint8Array } | { error: string | null } {
  const parsed = parsePayload(draft, notation);
  if (!parsed.ok) return { error: parsed.problem.message };
  // Text always sends at least its newline; hex sends only what was typed.
  if (notation === 'hex' && parsed.bytes.length === 0) return { error: null };
  if (parsed.bytes.length > MAX_CLIENT_PAYLOAD) {
    return {
      error: `${formatBytes(parsed.bytes.length)}: at most ${formatBytes(MAX_CLIENT_PAYLOAD)} per send`,
    };
  }
  return { bytes: parsed.bytes };
}

/** What the row sent last, as it was typed: its notation shows, and text's added newline is marked. */
function SentAsTyped({ sent }: { sent: LastSent | undefined }) {
  if (!sent) return <span className="muted">—</span>;
  if (sent.kind === 'crash-word') return <span className="muted">crash word "{sent.word}"</span>;
  return (
    <span data-notation={sent.notation}>
      {sent.notation === 'hex' ? <span className="muted">hex </span> : null}
      {sent.typed}
      {sent.newline ? <span className="muted">\n</span> : null}
    </span>
  );
}

/** One built-in client: its connection, its server task, what it sent and what came back, and what next. */
export const ClientRow = memo(function ClientRow(props: ClientRowProps) {
  const { client, taskId, draft, notation, lastSent, top } = props;
  const checked = useMemo(() => checkDraft(draft, notation), [draft, notation]);
  const echo = useMemo(
    () => formatPayload(base64ToBytes(client.lastReceived), notation),
    [client.lastReceived, notation],
  );
  const error = 'error' in checked ? checked.error : null;
  const errorId = `client-input-error-${client.id}`;
  return (
    <div
      className={`client-row${client.open ? '' : ' client-closed'}${error ? ' client-row-invalid' : ''}`}
      data-testid="client-row"
      data-client-id={client.id}
      data-open={client.open ? 'true' : 'false'}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span className="mono">#{client.id}</span>
      <span className="mono" data-testid="client-local-port">
        {client.localPort}
      </span>
      <span>
        {taskId === undefined ? (
          <span className="muted">—</span>
        ) : (
          <button
            type="button"
            className="link-button mono"
            data-testid="client-task-link"
            data-task-id={taskId}
            onClick={() => props.onSelectTask(taskId)}
          >
            task #{taskId}
          </button>
        )}
      </span>
      <span data-testid="client-state">
        {client.open ? (
          <span className="badge badge-running">open</span>
        ) : (
          <span className="badge badge-closed" title={client.closeReason ?? ''}>
            {client.closeReason ? CLOSE_REASONS[client.closeReason] : 'closed'}
          </span>
        )}
      </span>
      <span className="mono cell-num" data-testid="client-sent">
        {formatBytes(client.bytesSent)}
      </span>
      <span className="mono cell-num" data-testid="client-received">
        {formatBytes(client.bytesReceived)}
      </span>
      <span className="mono client-io">
        <span className="client-io-line" title="Last sent, as typed">
          <span className="client-io-dir" aria-hidden="true">
            →
          </span>
          <span data-testid="client-last-sent">
            <SentAsTyped sent={lastSent} />
          </span>
        </span>
        <span className="client-io-line client-echo" title={echo}>
          <span className="client-io-dir" aria-hidden="true">
            ←
          </span>
          <span data-testid="client-last-echo" data-notation={notation}>
            {client.bytesReceived > 0 ? echo : <span className="muted">—</span>}
          </span>
        </span>
      </span>
      <span className="client-send-cell">
        {client.open ? (
          <form
            className="client-send"
            onSubmit={(e) => {
              e.preventDefault();
              if ('bytes' in checked) props.onSend(client.id, checked.bytes, draft);
            }}
          >
            <input
              data-testid="client-input"
              aria-label={`${notation === 'hex' ? 'Hex bytes' : 'Text'} for client ${client.id}`}
              aria-invalid={error !== null}
              aria-describedby={error ? errorId : undefined}
              placeholder={PLACEHOLDERS[notation]}
              value={draft}
              spellCheck={false}
              onChange={(e) => props.onDraft(client.id, e.target.value)}
            />
            {error ? (
              <span className="field-error" id={errorId} role="alert" data-testid="client-input-error">
                {error}
              </span>
            ) : null}
            <button
              type="submit"
              className="button button-small"
              data-testid="client-send"
              disabled={!('bytes' in checked) || props.inertReason !== null}
              title={props.inertReason ?? undefined}
            >
              Send
            </button>
            <button
              type="button"
              className="button button-small button-danger"
              data-testid="client-send-crash"
              disabled={props.inertReason !== null}
              title={props.inertReason ?? undefined}
              onClick={() => props.onCrash(client.id)}
            >
              Send crash word
            </button>
            <button
              type="button"
              className="button button-small button-secondary"
              data-testid="client-close"
              disabled={props.inertReason !== null}
              title={props.inertReason ?? undefined}
              onClick={() => props.onClose(client.id)}
            >
              Close
            </button>
          </form>
        ) : null}
      </span>
    </div>
  );
});
