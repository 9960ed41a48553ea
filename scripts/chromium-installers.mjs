// The ways scripts/ensure-chromium.mjs can install a Chromium where none is found, in the order tried.

/** Room for a ~170 MB download or an apt install with its libraries; a DNS failure ends in seconds. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/**
 * @typedef {{ label: string, command: string, args: string[], timeoutMs: number }} Installer
 * @typedef {{ playwrightCli: string, isRoot: boolean, osRelease: string, aptGet: string | null }} Machine
 */

/**
 * Whether /etc/os-release describes Debian or a derivative of it (Ubuntu, ...).
 * @param {string} osRelease
 */
export function isDebianLike(osRelease) {
  const ids = [...osRelease.matchAll(/^(?:ID|ID_LIKE)=["']?([^"'\n]*)/gm)].flatMap((m) =>
    (m[1] ?? '').split(' '),
  );
  return ids.includes('debian') || ids.includes('ubuntu');
}

/**
 * Playwright's own download first (any OS, no root needed), then Debian's package where apt can be run
 * without a password prompt; `aptSkipped` says why apt is not tried here, if it is not.
 * @param {Machine} machine
 * @returns {{ installers: Installer[], aptSkipped: string | null }}
 */
export function chromiumInstallers({ playwrightCli, isRoot, osRelease, aptGet }) {
  /** @type {Installer[]} */
  const installers = [
    {
      label: 'playwright install --no-shell chromium',
      // --no-shell: the tests launch the full browser by path, so its headless shell would go unused.
      command: process.execPath,
      args: [playwrightCli, 'install', '--no-shell', 'chromium'],
      timeoutMs: INSTALL_TIMEOUT_MS,
    },
  ];
  if (!aptGet || !isDebianLike(osRelease)) return { installers, aptSkipped: 'not Debian or Ubuntu' };
  if (!isRoot) return { installers, aptSkipped: 'it needs root' };
  installers.push({
    label: 'apt-get install chromium',
    command: 'sh',
    args: ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
    timeoutMs: INSTALL_TIMEOUT_MS,
  });
  return { installers, aptSkipped: null };
}
