import { useState } from 'react';
import { describeAttachedProcess } from '../../src-shared/attached-process';
import { useCommand } from '../hooks/use-command';
import { useReplay } from '../replay/replay-mode';
import { appStore, useAppStore } from '../store/app-store';
// Its own sheet, beside the component: main.tsx lists the app-wide ones.
import '../styles/attach.css';

/**
 * Where the tasks come from when it is not the built-in server: the attached Python process (or that
 * it exited), why Start and Stop are unavailable meanwhile, and the Attach action with the exact
 * probe command to copy.
 */
export function AttachBar() {
  const attached = useAppStore((s) => s.status.attached);
  const listener = useAppStore((s) => s.status.attachListener ?? null);
  const phase = useAppStore((s) => s.status.phase);
  const replaying = useReplay((s) => s.mode === 'replay');
  const { outcome, run } = useCommand();
  const [copied, setCopied] = useState<string | null>(null);

  async function attach() {
    const result = await run('attach', {});
    if (result.ok) {
      const { status, setStatus } = appStore.getState();
      setStatus({ ...status, attachListener: result.value });
    }
  }

  async function copy(command: string) {
    try {
      await navigator.clipboard.writeText(command);
      setCopied('Copied');
    } catch {
      setCopied('Select the command and copy it (the clipboard is not available here)');
    }
  }

  const showAttach = !replaying && phase === 'idle' && !attached?.connected;
  if (!attached && !listener && !showAttach) return null;
  return (
    <section className="attach-bar" data-testid="attach-bar" aria-label="Attached Python process">
      {attached ? (
        <p
          className={`attach-status ${attached.connected ? 'attach-live' : 'attach-exited'}`}
          data-testid="attach-status"
          data-connected={attached.connected ? 'true' : 'false'}
        >
          <span className="attach-dot" aria-hidden="true" />
          {attached.connected ? 'Attached: ' : 'Was attached: '}
          <strong>{describeAttachedProcess(attached.process)}</strong>
          <span className="muted" title={attached.process.argv.join(' ')}>
            {attached.connected
              ? "The tasks below are this process's. Start and Stop of the built-in server are unavailable until it exits (stop it with Ctrl-C where it runs)."
              : attached.exit === 'exit'
                ? 'The process exited; its tasks stay as they ended. Start runs the built-in server again.'
                : 'The process disconnected without saying goodbye (killed?); tasks it never ended are left as they were.'}
          </span>
        </p>
      ) : null}
      {listener ? (
        <div className="attach-listener">
          <span className="muted">
            Probes attach at {listener.host}:{listener.port}. Run your asyncio program under the probe:
          </span>
          <code className="attach-command mono" data-testid="attach-command">
            {listener.command}
          </code>
          <button type="button" className="button" onClick={() => void copy(listener.command)}>
            Copy
          </button>
          {copied ? <span className="muted">{copied}</span> : null}
        </div>
      ) : showAttach ? (
        <div className="attach-listener">
          <button
            type="button"
            className="button"
            data-testid="attach-button"
            disabled={outcome.busy}
            title="Listen for a Python program run under the probe and show its tasks here"
            onClick={() => void attach()}
          >
            Attach a Python process…
          </button>
          {outcome.failed ? (
            <span className="server-error" role="alert">
              {outcome.message}
            </span>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
