import { useAppStore } from '../store/app-store';

/** The server's phase in one glance, or that the host itself is unreachable. */
export function StatusPill() {
  const phase = useAppStore((s) => s.status.phase);
  const pending = useAppStore((s) => s.pending);
  const link = useAppStore((s) => s.link);
  const host = useAppStore((s) => s.status.settings?.host);
  const port = useAppStore((s) => s.status.boundPort);
  const attachedPid = useAppStore((s) =>
    s.status.attached?.connected ? s.status.attached.process.pid : null,
  );
  const shown =
    link === 'closed'
      ? 'disconnected'
      : attachedPid !== null
        ? 'attached'
        : pending === 'start' && phase === 'idle'
          ? 'starting'
          : phase;
  const text =
    shown === 'disconnected'
      ? 'Disconnected from host'
      : shown === 'attached'
        ? `Python pid ${attachedPid} attached`
        : shown === 'listening'
          ? `Listening on ${host}:${port}`
          : shown === 'starting'
            ? 'Starting…'
            : shown === 'stopping'
              ? 'Stopping…'
              : link === 'connecting'
                ? 'Connecting…'
                : 'Stopped';
  return (
    <output
      // An attached process looks live, as a listening server does.
      className={`status-pill status-${shown === 'attached' ? 'listening' : shown}`}
      data-testid="server-status"
      data-phase={shown}
      aria-live="polite"
    >
      <span className="status-dot" aria-hidden="true" />
      {text}
    </output>
  );
}
