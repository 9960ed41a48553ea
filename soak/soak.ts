/**
 * `npm run soak`: hostile clients against the real CLI on loopback, one line per probe with its figure
 * and PASS/FAIL; exits 1 on any failure. `--fast` runs the small subset `npm test` includes (seconds);
 * the full run takes a few minutes at most. Every probe is bounded in count and in time.
 */
import { consoleProbes } from './console-probes';
import { echoProbes } from './echo-probes';
import { SharedServers } from './fixtures';
import { type Probe, runProbe } from './probe';
import { webProbes } from './web-probes';

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--fast');
  if (unknown.length > 0) {
    process.stderr.write(`soak: unknown argument ${unknown[0]} (usage: npm run soak [-- --fast])\n`);
    return 2;
  }
  const fast = argv.includes('--fast');
  const servers = new SharedServers();
  const probes: Probe[] = [...echoProbes(servers), ...consoleProbes(), ...webProbes(servers)].filter(
    (p) => !fast || p.fast,
  );
  const started = performance.now();
  let failures = 0;
  try {
    await servers.warmUp();
    for (const probe of probes) {
      const probeStarted = performance.now();
      const result = await runProbe(probe, { fast }, fast ? 20_000 : 90_000);
      const took = ((performance.now() - probeStarted) / 1000).toFixed(1);
      if (!result.ok) failures++;
      process.stdout.write(
        `${result.ok ? 'PASS' : 'FAIL'}  ${probe.name.padEnd(40)} ${result.figure} [${took} s]\n`,
      );
    }
  } finally {
    await servers.stopAll();
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `${failures === 0 ? 'soak: all' : `soak: ${failures} of`} ${probes.length} probes ${failures === 0 ? 'passed' : 'failed'} in ${seconds} s${fast ? ' (fast subset)' : ''}\n`,
  );
  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
