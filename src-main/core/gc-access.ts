import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The runtime's `gc()`: the global one under --expose-gc (or Electron's js-flags), otherwise obtained
 * by turning the flag on at run time and reading `gc` from a fresh context. Null if neither works.
 */
export function obtainGc(): (() => void) | null {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    return null;
  }
}
