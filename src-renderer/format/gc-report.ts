import type { GcReport } from '../store/server-slice';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a gc-run did, in one sentence: "1 task finalized: warning reported, connection closed". */
export function describeGc(report: GcReport): string {
  if (!report.available) return 'gc() is not available in this runtime; nothing was collected.';
  const earlier =
    report.earlier > 0
      ? ` (V8 had already collected ${plural(report.earlier, 'failed task')} on its own)`
      : '';
  if (report.finalized === 0)
    return `Nothing finalized: no failed task was waiting to be collected${earlier}.`;
  const one = report.finalized === 1;
  const warnings =
    one && report.warnings === 1 ? 'warning reported' : `${plural(report.warnings, 'warning')} reported`;
  const closed =
    report.closed === 0
      ? 'no connection was still open'
      : one && report.closed === 1
        ? 'connection closed'
        : `${plural(report.closed, 'connection')} closed`;
  return `${plural(report.finalized, 'task')} finalized: ${warnings}, ${closed}${earlier}`;
}
