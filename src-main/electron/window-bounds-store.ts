import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The window's size, position and maximized state, remembered between runs. */
export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
  maximized: boolean;
}

function isFiniteInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Reads saved bounds; anything missing, corrupt or absurd reads as "none" (the defaults apply). */
export function loadWindowBounds(file: string): WindowBounds | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const b = raw as Record<string, unknown>;
  const ok =
    isFiniteInt(b.x, -100_000, 100_000) &&
    isFiniteInt(b.y, -100_000, 100_000) &&
    isFiniteInt(b.width, 200, 100_000) &&
    isFiniteInt(b.height, 200, 100_000) &&
    typeof b.maximized === 'boolean';
  return ok
    ? {
        x: b.x as number,
        y: b.y as number,
        width: b.width as number,
        height: b.height as number,
        maximized: b.maximized as boolean,
      }
    : null;
}

/** Saves bounds; a failure to write is not worth bothering the user about (defaults next time). */
export function saveWindowBounds(file: string, bounds: WindowBounds): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(bounds)}\n`);
  } catch {
    // Read-only profile directory: the window simply opens with its defaults next time.
  }
}
