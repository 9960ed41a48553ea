import { describe, expect, it } from 'vitest';
import { beyondLoopbackWarning, isLoopbackHost, isWildcardHost } from './bind-address';

describe('bind addresses', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    'localhost',
    'LOCALHOST',
    '::1',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('%s is loopback: no warning', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(beyondLoopbackWarning(host)).toBeNull();
  });

  it.each(['0.0.0.0', '::', '0:0:0:0:0:0:0:0'])('%s is every interface', (host) => {
    expect(isWildcardHost(host)).toBe(true);
    expect(isLoopbackHost(host)).toBe(false);
    expect(beyondLoopbackWarning(host)).toBe(
      `The echo server listens on every network interface (${host}): other machines can connect to it.`,
    );
  });

  it.each([
    '192.168.1.10',
    '10.0.0.1',
    'fe80::1',
    'myhost.example',
    '128.0.0.1',
    '127.0.0.1.evil',
  ])('%s is beyond loopback', (host) => {
    expect(isWildcardHost(host)).toBe(false);
    expect(beyondLoopbackWarning(host)).toMatch(
      new RegExp(`listens on ${host.replace(/\./g, '\\.')}, beyond loopback`),
    );
  });
});
