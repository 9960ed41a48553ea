import { describe, expect, it } from 'vitest';
import { chromiumInstallers, isDebianLike } from './chromium-installers.mjs';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_CODENAME=bookworm\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const MINT = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';

describe('isDebianLike', () => {
  it('recognises Debian and its derivatives by ID or ID_LIKE, quoted or not', () => {
    expect(isDebianLike(DEBIAN)).toBe(true);
    expect(isDebianLike(UBUNTU)).toBe(true);
    expect(isDebianLike(MINT)).toBe(true);
  });

  it('rejects other systems and a missing os-release', () => {
    expect(isDebianLike(FEDORA)).toBe(false);
    expect(isDebianLike('')).toBe(false);
    expect(isDebianLike('PRETTY_NAME="not debian"\n')).toBe(false);
  });
});

describe('chromiumInstallers', () => {
  const playwrightCli = '/p/node_modules/@playwright/test/cli.js';
  const labels = (machine: Parameters<typeof chromiumInstallers>[0]) =>
    chromiumInstallers(machine).installers.map((installer) => installer.label);

  it("tries Playwright's download first, then apt as root on Debian", () => {
    const { installers, aptSkipped } = chromiumInstallers({
      playwrightCli,
      isRoot: true,
      osRelease: DEBIAN,
      aptGet: '/usr/bin/apt-get',
    });
    expect(installers.map((installer) => installer.label)).toEqual([
      'playwright install --no-shell chromium',
      'apt-get install chromium',
    ]);
    expect(installers[0]?.args).toEqual([playwrightCli, 'install', '--no-shell', 'chromium']);
    expect(installers[1]?.args.at(-1)).toContain(
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium',
    );
    expect(aptSkipped).toBeNull();
  });

  it('does not run apt without root (it would prompt for a password) and says why', () => {
    const machine = { playwrightCli, isRoot: false, osRelease: UBUNTU, aptGet: '/usr/bin/apt-get' };
    expect(labels(machine)).toEqual(['playwright install --no-shell chromium']);
    expect(chromiumInstallers(machine).aptSkipped).toBe('it needs root');
  });

  it('does not run apt off Debian, or where there is no apt-get', () => {
    const fedora = { playwrightCli, isRoot: true, osRelease: FEDORA, aptGet: '/usr/bin/apt-get' };
    const noApt = { playwrightCli, isRoot: true, osRelease: DEBIAN, aptGet: null };
    expect(labels(fedora)).toEqual(['playwright install --no-shell chromium']);
    expect(labels(noApt)).toEqual(['playwright install --no-shell chromium']);
    expect(chromiumInstallers(noApt).aptSkipped).toBe('not Debian or Ubuntu');
  });
});
