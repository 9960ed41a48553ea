/** How big a run is: `fast` is the subset `npm test` runs (seconds); the full run takes a few minutes. */
export interface Scale {
  fast: boolean;
}

/** What a probe measured: whether the server held, and the figure that shows it. */
export interface ProbeResult {
  ok: boolean;
  /** One short line of numbers, e.g. "rss +3.1 MB after 20,000 cycles, fds 12 -> 12". */
  figure: string;
}

/** One hostile client behaviour and the check that the server survived it. */
export interface Probe {
  name: string;
  /** In the `--fast` subset. */
  fast: boolean;
  run(scale: Scale): Promise<ProbeResult>;
}

/** A probe that overruns its time is a failure, not a hang. */
export async function runProbe(probe: Probe, scale: Scale, timeoutMs: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, figure: `no result within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([probe.run(scale), timeout]);
  } catch (err) {
    return { ok: false, figure: `threw: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Bytes as KB below a megabyte, else MB. */
export function size(bytes: number): string {
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A change in bytes, with its sign. */
export function change(bytes: number): string {
  return `${bytes < 0 ? '-' : '+'}${size(Math.abs(bytes))}`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}
