import { describe, expect, it } from 'vitest';
import { attachBindWarning, parseAttachOption } from './attach-option';

describe('parseAttachOption', () => {
  it('is off unless --attach-port is given; loopback by default', () => {
    expect(parseAttachOption({})).toBeNull();
    expect(parseAttachOption({ 'attach-port': '8765' })).toEqual({
      host: '127.0.0.1',
      port: 8765,
      explicitHost: false,
    });
    expect(parseAttachOption({ 'attach-port': '0', 'attach-host': '0.0.0.0' })).toEqual({
      host: '0.0.0.0',
      port: 0,
      explicitHost: true,
    });
  });

  it('refuses bad values in one line naming the option', () => {
    expect(parseAttachOption({ 'attach-port': '70000' })).toMatch(/^--attach-port: Port must be/);
    expect(parseAttachOption({ 'attach-port': 'eighty' })).toMatch(/^--attach-port: /);
    expect(parseAttachOption({ 'attach-port': '-1' })).toMatch(/^--attach-port: /);
    expect(parseAttachOption({ 'attach-port': '8765', 'attach-host': '' })).toMatch(/^--attach-host: /);
    expect(parseAttachOption({ 'attach-host': '127.0.0.1' })).toBe('--attach-host needs --attach-port');
  });

  it('warns beyond loopback only', () => {
    expect(attachBindWarning('127.0.0.1')).toBeNull();
    expect(attachBindWarning('0.0.0.0')).toMatch(/^Warning: probes can attach from other machines/);
  });
});
