import { useMemo } from 'react';
import { describeAttachedProcess } from '../../src-shared/attached-process';
import type { CommandArgs, CommandValue } from '../../src-shared/commands';
import type { ServerSettings } from '../../src-shared/events';
import { useApi } from '../api-context';
import { formatCount } from '../format/quantity';
import { formatDuration } from '../format/time';
import { useCommand } from '../hooks/use-command';
import { useReplay } from '../replay/replay-mode';
import { appStore, useAppStore } from '../store/app-store';
import { checkDraft } from '../store/draft-validation';
import type { SettingsDraft } from '../store/settings-draft';
import { AttachBar } from './AttachBar';
import { BindWarning } from './BindWarning';
import { ReplayBar } from './ReplayBar';
import { SessionTools } from './SessionTools';
import { SettingsFields } from './SettingsFields';
import { StatusPill } from './StatusPill';

function draftOf(settings: ServerSettings): SettingsDraft {
  const { host, port, crashWord, match, policy, collection } = settings;
  return { host, port: String(port), crashWord, match, policy, collection };
}

/** Settings, Start/Stop, the server's status and its last error: the top of the window. */
export function ControlBar() {
  const api = useApi();
  const { run } = useCommand();
  const draft = useAppStore((s) => s.draft);
  const editDraft = useAppStore((s) => s.editDraft);
  const phase = useAppStore((s) => s.status.phase);
  const running = useAppStore((s) => s.status.settings);
  const pending = useAppStore((s) => s.pending);
  const link = useAppStore((s) => s.link);
  const serverError = useAppStore((s) => s.serverError);
  const stopReport = useAppStore((s) => s.stopReport);
  const check = useMemo(() => checkDraft(draft), [draft]);
  // A replay has no server to control: the buttons stay, disabled, with the reason.
  const replaying = useReplay((s) => s.mode === 'replay');
  const replayReason = replaying
    ? 'This is a replay of a recording: there is no live server to start or stop'
    : undefined;
  // An attached Python process owns the task stream: the built-in server waits until it exits.
  const attached = useAppStore((s) => (s.status.attached?.connected ? s.status.attached.process : null));
  const attachReason = attached
    ? `A Python process is attached (${describeAttachedProcess(attached)}): Start and Stop of the built-in server are unavailable until it exits`
    : undefined;
  const idle = phase === 'idle' && pending === null && !replaying && attached === null;
  // While a server runs, the fields show what it runs with.
  const shown = !idle && running ? draftOf(running) : draft;

  // Start and Stop report to the store rather than beside the button: the status pill shows a pending
  // start, and editing a field clears the error. `run` never rejects, so pending always ends.
  async function runServerCommand<K extends 'start' | 'stop'>(
    name: K,
    args: CommandArgs<K>,
    onOk: (value: CommandValue<K>) => void,
  ) {
    const { setPending, setServerError } = appStore.getState();
    setPending(name);
    setServerError(null);
    const result = await run(name, args);
    if (result.ok) onOk(result.value);
    else setServerError(result.error.message);
    setPending(null);
  }

  function start() {
    if (check.args) void runServerCommand('start', check.args, appStore.getState().setStatus);
  }

  function stop() {
    void runServerCommand('stop', {}, appStore.getState().setStopReport);
  }

  return (
    <header className="control-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Echoscope</span>
        <span className="brand-host" data-testid="api-host">
          {api.host}
        </span>
      </div>
      <form
        className="control-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (idle) start();
        }}
      >
        <SettingsFields
          values={shown}
          check={idle ? check : NO_PROBLEMS}
          disabled={!idle}
          onChange={editDraft}
        />
        <div className="control-actions">
          {stopReport && phase === 'idle' && pending === null ? (
            <p className="stop-report" data-testid="stop-report">
              Last stop: {formatCount(stopReport.cancelled)} task{stopReport.cancelled === 1 ? '' : 's'}{' '}
              cancelled
              {stopReport.forced > 0 ? `, ${formatCount(stopReport.forced)} forced closed` : ''} in{' '}
              {formatDuration(stopReport.durationMs)}
            </p>
          ) : null}
          {phase === 'listening' || phase === 'stopping' || pending === 'stop' ? (
            <button
              type="button"
              className="button button-stop"
              data-testid="stop-button"
              disabled={phase !== 'listening' || pending !== null || link === 'closed' || replaying}
              title={replayReason}
              onClick={stop}
            >
              {phase === 'stopping' || pending === 'stop' ? 'Stopping…' : 'Stop'}
            </button>
          ) : (
            <button
              type="submit"
              className="button button-start"
              data-testid="start-button"
              disabled={!idle || check.args === null || link === 'closed'}
              title={replayReason ?? attachReason}
            >
              {pending === 'start' ? 'Starting…' : 'Start'}
            </button>
          )}
          <StatusPill />
        </div>
      </form>
      <SessionTools />
      <ReplayBar />
      <AttachBar />
      <BindWarning />
      {serverError ? (
        <p className="server-error" role="alert" data-testid="server-error">
          {serverError}
        </p>
      ) : null}
    </header>
  );
}

const NO_PROBLEMS = { host: null, port: null, crashWord: null, args: null };
