import type { LoadStatus } from '../../src-shared/load/load-contract';
import { formatPercentile, formatShortOf } from '../format/load-figures';
import { formatCount } from '../format/quantity';
import { formatDuration } from '../format/time';

/** One figure of the strip: its label, its text, and the raw number (for tests and tooltips). */
interface Figure {
  id: string;
  label: string;
  text: string;
  value: number | null;
  tone?: 'failed';
  title?: string;
}

type ActiveStatus = Exclude<LoadStatus, { state: 'idle' }>;

const PHASE_TEXT = { ramping: 'Ramping up', running: 'Running', draining: 'Draining' } as const;

function stateText(status: ActiveStatus): string {
  switch (status.state) {
    case 'running':
      if (status.stopping) return 'Stopping';
      return status.progress ? PHASE_TEXT[status.progress.phase] : 'Starting';
    case 'ended':
      return status.summary.endedBy === 'stopped' ? 'Stopped early' : 'Ended';
    case 'failed':
      return 'Failed';
  }
}

/** While a run lasts: its newest progress (latency over the last half second); after it, its totals. */
function figuresOf(status: ActiveStatus): Figure[] {
  const requested = status.options.connections;
  const crashes = status.state === 'ended' ? status.summary.crashes : status.progress?.crashes;
  const crashText = crashes ? formatShortOf(crashes.sent, crashes.planned) : '–';
  const crashTitle = crashes
    ? `${crashes.sent} crash words sent of ${crashes.planned} planned; the server closed ${crashes.closed} of those connections`
    : undefined;
  if (status.state === 'ended') {
    const s = status.summary;
    return [
      {
        id: 'connected',
        label: 'Connected',
        text: formatShortOf(s.connections.opened, requested),
        value: s.connections.opened,
      },
      {
        id: 'round-trips',
        label: 'Round trips',
        text: formatCount(s.messages.echoed),
        value: s.messages.echoed,
      },
      {
        id: 'rate',
        label: 'Round trips/s',
        text: formatCount(s.roundTripsPerSecond),
        value: s.roundTripsPerSecond,
      },
      {
        id: 'p50',
        label: 'p50 latency',
        text: formatPercentile(s.latencyMs, 'p50'),
        value: s.latencyMs?.p50 ?? null,
      },
      {
        id: 'p99',
        label: 'p99 latency',
        text: formatPercentile(s.latencyMs, 'p99'),
        value: s.latencyMs?.p99 ?? null,
      },
      {
        id: 'errors',
        label: 'Errors',
        text: formatCount(s.errors.count),
        value: s.errors.count,
        tone: 'failed',
      },
      {
        id: 'mismatches',
        label: 'Mismatches',
        text: formatCount(s.mismatches.count),
        value: s.mismatches.count,
        tone: 'failed',
      },
      {
        id: 'crashes',
        label: 'Crashes sent',
        text: crashText,
        value: crashes?.sent ?? null,
        title: crashTitle,
      },
      { id: 'elapsed', label: 'Elapsed', text: formatDuration(s.elapsedMs), value: s.elapsedMs },
    ];
  }
  const p = status.progress;
  return [
    {
      id: 'connected',
      label: 'Connected',
      text: p ? formatShortOf(p.open, requested) : '–',
      value: p?.open ?? null,
    },
    {
      id: 'round-trips',
      label: 'Round trips',
      text: p ? formatCount(p.roundTrips) : '–',
      value: p?.roundTrips ?? null,
    },
    {
      id: 'rate',
      label: 'Round trips/s',
      text: p ? formatCount(p.roundTripsPerSecond) : '–',
      value: p?.roundTripsPerSecond ?? null,
    },
    {
      id: 'p50',
      label: 'p50 latency',
      text: formatPercentile(p?.latencyMs ?? null, 'p50'),
      value: p?.latencyMs?.p50 ?? null,
    },
    {
      id: 'p99',
      label: 'p99 latency',
      text: formatPercentile(p?.latencyMs ?? null, 'p99'),
      value: p?.latencyMs?.p99 ?? null,
    },
    {
      id: 'errors',
      label: 'Errors',
      text: p ? formatCount(p.errors) : '–',
      value: p?.errors ?? null,
      tone: 'failed',
    },
    {
      id: 'mismatches',
      label: 'Mismatches',
      text: p ? formatCount(p.mismatches) : '–',
      value: p?.mismatches ?? null,
      tone: 'failed',
    },
    {
      id: 'crashes',
      label: 'Crashes sent',
      text: crashText,
      value: crashes?.sent ?? null,
      title: crashTitle,
    },
    {
      id: 'elapsed',
      label: 'Elapsed',
      text: p ? formatDuration(p.elapsedMs) : '–',
      value: p?.elapsedMs ?? null,
    },
  ];
}

/** The run's figures in one strip: live while it runs (every half second), its totals once it ended. */
export function LoadProgress({ status }: { status: ActiveStatus }) {
  return (
    <section
      className="load-progress"
      aria-label={`Load run ${status.run}`}
      data-testid="load-progress"
      data-state={status.state}
    >
      <div className={`load-figure load-state load-state-${status.state}`}>
        <span className="load-figure-label">Run {status.run}</span>
        <span className="load-figure-value" data-testid="load-progress-state">
          {stateText(status)}
        </span>
      </div>
      {figuresOf(status).map((f) => (
        <div
          key={f.id}
          className={`load-figure${f.tone && f.value ? ` load-figure-${f.tone}` : ''}`}
          title={f.title}
        >
          <span className="load-figure-label">{f.label}</span>
          <span
            className="load-figure-value"
            data-testid={`load-progress-${f.id}`}
            data-value={f.value ?? undefined}
          >
            {f.text}
          </span>
        </div>
      ))}
    </section>
  );
}
