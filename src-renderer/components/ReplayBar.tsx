import { formatDuration } from '../format/time';
import { backToLive, replayController, useReplay } from '../replay/replay-mode';
import { REPLAY_SPEEDS } from '../replay/replay-store';

/** In replay mode: what is replayed, play/pause, speed, and a scrubber to any moment of it. */
export function ReplayBar() {
  const mode = useReplay((s) => s.mode);
  const file = useReplay((s) => s.file);
  const recording = useReplay((s) => s.recording);
  const error = useReplay((s) => s.error);
  const time = useReplay((s) => s.time);
  const duration = useReplay((s) => s.duration);
  const playing = useReplay((s) => s.playing);
  const speed = useReplay((s) => s.speed);
  const source = useReplay((s) => s.source);
  const servedFile = useReplay((s) => s.servedFile);
  if (mode !== 'replay') return null;
  if (!recording) {
    return (
      <section className="replay-bar" data-testid="replay-bar">
        <p className="server-error" role="alert" data-testid="replay-error">
          Replay of {file}: {error?.message ?? 'the recording could not be read'}
        </p>
      </section>
    );
  }
  const { header, problems, problemCount } = recording;
  return (
    <section className="replay-bar" data-testid="replay-bar" aria-label="Replay">
      <p className="replay-title" data-testid="replay-title">
        Replay of <strong>{file}</strong> — recorded at {header.startedAtIso} by {header.recorder} (
        {recording.events.length} events
        {recording.ending ? '' : ', cut off without an ending notice'})
      </p>
      <div className="replay-controls">
        <button
          type="button"
          className="button"
          data-testid="replay-play"
          onClick={() => (playing ? replayController.pause() : replayController.play())}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <label className="replay-speed">
          Speed{' '}
          <select
            data-testid="replay-speed"
            value={speed}
            onChange={(e) => replayController.setSpeed(Number(e.target.value))}
          >
            {REPLAY_SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <input
          type="range"
          className="replay-scrubber"
          data-testid="replay-scrubber"
          aria-label="Moment of the recording"
          min={0}
          max={duration}
          step={1}
          value={time}
          onChange={(e) => {
            replayController.pause();
            replayController.seek(Number(e.target.value));
          }}
        />
        <output className="replay-time" data-testid="replay-time">
          {formatDuration(time)} / {formatDuration(duration)}
        </output>
        {source === 'page' ? (
          <button
            type="button"
            className="button button-start"
            data-testid="replay-live-button"
            title={
              servedFile
                ? `Back to the recording this dashboard serves: ${servedFile}`
                : 'Leave the replay: the views are rebuilt from the live session'
            }
            onClick={backToLive}
          >
            {servedFile ? 'Back to the served recording' : 'Back to live'}
          </button>
        ) : null}
      </div>
      {problemCount > 0 ? (
        <details className="replay-problems" data-testid="replay-problems">
          <summary>
            {problemCount} line{problemCount === 1 ? '' : 's'} of the file left out
          </summary>
          <ul>
            {problems.map((p) => (
              <li key={p.line}>{p.message}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
