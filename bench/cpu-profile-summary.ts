/** A V8 .cpuprofile reduced to what a report needs: busy share and the functions with most self time. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  /** Profiled wall time. */
  ms: number;
  /** Share of samples where the main thread was busy (not idle). */
  busyShare: number;
  /** Functions with the most self time. */
  top: Array<{ fn: string; selfMs: number; share: number }>;
}

export function summarizeCpuProfile(profile: CpuProfile, topN: number): ProfileSummary {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  let idle = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byNode.get(samples[i]!);
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += us;
    const file = url.split('/').pop() ?? '';
    const key = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + us);
  }
  const top = [...self.entries()]
    .filter(([fn]) => !fn.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([fn, us]) => ({ fn, selfMs: Math.round(us / 1000), share: total ? us / total : 0 }));
  return { ms: total / 1000, busyShare: total ? 1 - idle / total : 0, top };
}
