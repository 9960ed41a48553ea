import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A word the shell reads as itself; anything else is single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that runs a program under the probe, attached here (the user adds their script). */
export function probeCommandLine(probeDir: string, host: string, port: number, token: string): string {
  const to = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return `PYTHONPATH=${shellWord(probeDir)} python3 -m echoscope_probe --to ${shellWord(to)} --token ${shellWord(token)} your_server.py`;
}

/**
 * The directory holding the `echoscope_probe` package: `preferred` when given (the packaged desktop
 * app's resources/probe), else the repository's `probe/`, found beside the built code
 * (out/main → ../../probe) or under the working directory.
 */
export function locateProbeDir(preferred?: string): string {
  const candidates = [
    ...(preferred ? [preferred] : []),
    ...(typeof __dirname === 'string'
      ? [
          resolve(__dirname, '../../probe'),
          resolve(__dirname, '../../../probe'),
          resolve(__dirname, '../probe'),
        ]
      : []),
    resolve(process.cwd(), 'probe'),
  ];
  return (
    candidates.find((dir) => existsSync(join(dir, 'echoscope_probe'))) ?? resolve(process.cwd(), 'probe')
  );
}
