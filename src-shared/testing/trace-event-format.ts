/**
 * Checks a parsed trace file against the Trace Event Format (JSON Object Format) as Perfetto and
 * chrome://tracing read it: every event has `name`, `ph`, `ts`, `pid`, `tid`; `X` slices have a
 * non-negative `dur` and, per thread, nest or are disjoint; `B`/`E` are balanced per thread; `C`
 * counters carry numeric `args`; `i` instants have a scope; `M` metadata names processes and threads,
 * and every thread with slices is named. Returns the problems found (none for a valid trace).
 */
import { isRecord } from '../untrusted-value';

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'M', 'b', 'e', 'n', 's', 't', 'f', 'P', 'O', 'N', 'D']);
const METADATA_NAMES = new Set([
  'process_name',
  'process_labels',
  'process_sort_index',
  'thread_name',
  'thread_sort_index',
]);

export function traceFormatProblems(file: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(file) || !Array.isArray(file.traceEvents))
    return ['not a JSON object with a traceEvents array'];
  if (file.displayTimeUnit !== undefined && file.displayTimeUnit !== 'ms' && file.displayTimeUnit !== 'ns')
    problems.push('displayTimeUnit must be "ms" or "ns"');
  const named = new Set<string>();
  const sliced = new Set<string>();
  const slices = new Map<string, { start: number; end: number; name: string }[]>();
  const open = new Map<string, string[]>();
  file.traceEvents.forEach((e: unknown, i: number) => {
    const at = `traceEvents[${i}]`;
    if (!isRecord(e)) {
      problems.push(`${at} is not an object`);
      return;
    }
    for (const key of ['pid', 'tid', 'ts'] as const)
      if (typeof e[key] !== 'number' || !Number.isFinite(e[key]))
        problems.push(`${at}.${key} must be a number`);
    if (typeof e.name !== 'string') problems.push(`${at}.name must be a string`);
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) {
      problems.push(`${at}.ph ${JSON.stringify(e.ph)} is not a Trace Event phase`);
      return;
    }
    if ((e.ts as number) < 0) problems.push(`${at}.ts is negative`);
    const thread = `${e.pid}/${e.tid}`;
    switch (e.ph) {
      case 'X': {
        if (typeof e.dur !== 'number' || !(e.dur >= 0)) problems.push(`${at} (X) needs a non-negative dur`);
        sliced.add(thread);
        const list = slices.get(thread) ?? [];
        list.push({
          start: e.ts as number,
          end: (e.ts as number) + (e.dur as number),
          name: e.name as string,
        });
        slices.set(thread, list);
        break;
      }
      case 'B':
        sliced.add(thread);
        open.set(thread, [...(open.get(thread) ?? []), e.name as string]);
        break;
      case 'E': {
        const stack = open.get(thread) ?? [];
        if (stack.length === 0) problems.push(`${at} (E) ends nothing on thread ${thread}`);
        stack.pop();
        open.set(thread, stack);
        break;
      }
      case 'C':
        if (!isRecord(e.args) || Object.keys(e.args).length === 0)
          problems.push(`${at} (C) needs args with at least one series`);
        else
          for (const [k, v] of Object.entries(e.args))
            if (typeof v !== 'number') problems.push(`${at} (C) series ${k} must be a number`);
        break;
      case 'i':
      case 'I':
        if (e.s !== undefined && e.s !== 't' && e.s !== 'p' && e.s !== 'g')
          problems.push(`${at} (i) scope must be t, p or g`);
        break;
      case 'M':
        if (!METADATA_NAMES.has(e.name as string))
          problems.push(`${at} (M) unknown metadata ${String(e.name)}`);
        if (!isRecord(e.args)) problems.push(`${at} (M) needs args`);
        else if ((e.name === 'thread_name' || e.name === 'process_name') && typeof e.args.name !== 'string')
          problems.push(`${at} (M) ${String(e.name)} needs args.name`);
        else if (e.name === 'thread_name') named.add(thread);
        break;
    }
  });
  for (const [thread, stack] of open)
    if (stack.length > 0) problems.push(`thread ${thread}: B without E: ${stack.join(', ')}`);
  for (const thread of sliced)
    if (!named.has(thread)) problems.push(`thread ${thread} has slices but no thread_name`);
  for (const [thread, list] of slices) {
    // Sorted by start, longest first: each slice must end within every slice still open around it.
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    const stack: { end: number; name: string }[] = [];
    for (const s of list) {
      while (stack.length > 0 && stack[stack.length - 1]!.end <= s.start) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent && s.end > parent.end)
        problems.push(`thread ${thread}: slice "${s.name}" overlaps "${parent.name}" without nesting`);
      stack.push(s);
    }
  }
  return problems;
}
