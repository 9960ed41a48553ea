import { memo } from 'react';
import type { ClientView } from '../../src-shared/commands';
import { previewText } from '../format/payload';
import { formatBytes } from '../format/quantity';

interface ClientRowProps {
  client: ClientView;
  taskId: number | undefined;
  draft: string;
  top: number;
  onDraft: (clientId: number, text: string) => void;
  onSend: (clientId: number, text: string) => void;
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

/** One built-in client: its connection, its server task, what came back, and what to send next. */
export const ClientRow = memo(function ClientRow(props: ClientRowProps) {
  const { client, taskId, draft, top } = props;
  return (
    <div
      className={`client-row${client.open ? '' : ' client-closed'}`}
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
      <span
        className="mono client-echo"
        data-testid="client-last-echo"
        title={previewText(client.lastReceived)}
      >
        {previewText(client.lastReceived)}
      </span>
      <span>
        {client.open ? (
          <form
            className="client-send"
            onSubmit={(e) => {
              e.preventDefault();
              props.onSend(client.id, draft);
            }}
          >
            <input
              data-testid="client-input"
              aria-label={`Text for client ${client.id}`}
              placeholder="text to send"
              value={draft}
              spellCheck={false}
              onChange={(e) => props.onDraft(client.id, e.target.value)}
            />
            <button type="submit" className="button button-small" data-testid="client-send">
              Send
            </button>
            <button
              type="button"
              className="button button-small button-danger"
              data-testid="client-send-crash"
              onClick={() => props.onCrash(client.id)}
            >
              Send crash word
            </button>
            <button
              type="button"
              className="button button-small button-secondary"
              data-testid="client-close"
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
