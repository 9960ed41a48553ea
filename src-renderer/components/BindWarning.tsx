import { beyondLoopbackWarning } from '../../src-shared/bind-address';
import { useAppStore } from '../store/app-store';

/** Next to the status: the running echo server accepts connections from other machines. */
export function BindWarning() {
  const listening = useAppStore((s) => s.status.phase === 'listening');
  const host = useAppStore((s) => s.status.settings?.host);
  const warning = listening && host !== undefined ? beyondLoopbackWarning(host) : null;
  if (warning === null) return null;
  return (
    <output className="bind-warning" data-testid="bind-warning">
      <span className="alert-mark" aria-hidden="true">
        !
      </span>
      {warning}
    </output>
  );
}
