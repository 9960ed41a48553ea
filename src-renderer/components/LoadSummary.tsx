import type { ReactNode } from 'react';
import type { LoadSummary as Summary } from '../../src-shared/load/load-contract';
import { formatFraction, formatLatency, formatOf } from '../format/load-figures';
import { formatBytes, formatCount } from '../format/quantity';
import { formatDuration } from '../format/time';

function Item({
  id,
  label,
  children,
  value,
}: {
  id: string;
  label: string;
  children: ReactNode;
  value?: number;
}) {
  return (
    <div className="load-summary-item">
      <dt>{label}</dt>
      <dd data-testid={`load-summary-${id}`} data-value={value}>
        {children}
      </dd>
    </div>
  );
}

function headline(s: Summary): string {
  const how =
    s.endedBy === 'stopped'
      ? `Stopped early after ${formatDuration(s.sendingMs)} of sending`
      : `Ran for its full ${formatDuration(s.options.durationS * 1000)}`;
  const verdict =
    s.mismatches.count > 0 || s.errors.count > 0
      ? `${formatCount(s.errors.count)} errors, ${formatCount(s.mismatches.count)} mismatched echoes`
      : s.messages.echoed === 0
        ? `no message came back (${formatCount(s.messages.sent)} sent)`
        : 'every echo came back byte-exact';
  // Sends dropped because the generator itself fell behind: its figures then say less about the server.
  const held =
    s.messages.late > 0
      ? ` ${formatCount(s.messages.late)} sends were dropped because the generator fell more than a second behind (a busy machine).`
      : '';
  const crashing =
    s.options.crashFraction > 0
      ? `${formatFraction(s.options.crashFraction)} sending "${s.options.crashWord}"`
      : 'none crashing';
  return `${how}: ${formatCount(s.connections.requested)} connections at ${s.options.rate} msg/s of ${formatBytes(s.options.size)}, ${crashing}; ${verdict}.${held}`;
}

/** The run's conclusion: the figures `echoscope load` prints in its summary, laid out. */
export function LoadSummary({ summary: s }: { summary: Summary }) {
  const l = s.latencyMs;
  const byKind = Object.entries(s.errors.byKind)
    .map(([kind, n]) => `${kind} ${formatCount(n)}`)
    .join(', ');
  const examples = [...s.errors.examples, ...s.mismatches.examples];
  return (
    <section className="load-summary" aria-label="Load summary" data-testid="load-summary">
      <p className="load-summary-headline">{headline(s)}</p>
      <dl className="load-summary-grid">
        <Item id="round-trips" label="Round trips" value={s.messages.echoed}>
          {formatCount(s.messages.echoed)} ({formatCount(s.roundTripsPerSecond)}/s)
        </Item>
        <Item id="latency" label="Latency">
          {l
            ? `p50 ${formatLatency(l.p50)} · p90 ${formatLatency(l.p90)} · p99 ${formatLatency(l.p99)} · max ${formatLatency(l.max)}`
            : 'not measured'}
        </Item>
        <Item id="connections" label="Connections" value={s.connections.opened}>
          {formatOf(s.connections.opened, s.connections.requested)} opened · peak{' '}
          {formatCount(s.connections.peakOpen)} open · {formatCount(s.connections.failed)} failed
        </Item>
        <Item id="messages" label="Messages" value={s.messages.sent}>
          {formatCount(s.messages.sent)} sent · {formatCount(s.messages.skipped)} skipped (server lagging) ·{' '}
          {formatCount(s.messages.late)} late · {formatCount(s.messages.unanswered)} unanswered
        </Item>
        <Item id="errors" label="Errors" value={s.errors.count}>
          {formatCount(s.errors.count)}
          {byKind ? ` (${byKind})` : ''}
        </Item>
        <Item id="mismatches" label="Mismatches" value={s.mismatches.count}>
          {formatCount(s.mismatches.count)}
        </Item>
        <Item id="crashes" label="Crashes" value={s.crashes.sent}>
          <span
            data-closed={s.crashes.closed}
            data-dangling={s.crashes.dangling}
            data-planned={s.crashes.planned}
          >
            {formatOf(s.crashes.sent, s.crashes.planned)} sent · {formatCount(s.crashes.closed)} closed by the
            server · {formatCount(s.crashes.dangling)} left dangling · {formatCount(s.crashes.echoed)} echoed
            back
          </span>
        </Item>
        <Item id="bytes" label="Bytes">
          {formatBytes(s.bytes.sent)} sent · {formatBytes(s.bytes.echoed)} echoed
        </Item>
      </dl>
      {examples.length > 0 ? (
        <ul className="load-summary-examples">
          {examples.map((example) => (
            <li key={example}>{example}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
