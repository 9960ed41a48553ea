import { describe, expect, it } from 'vitest';
import { checkLoadOptions, MAX_LOAD_CONNECTIONS, MAX_LOAD_MESSAGES } from './load-contract';
import { checkLoadDraft, type LoadDraft } from './load-request';

const DRAFT: LoadDraft = {
  connections: '200',
  rate: '10',
  size: '64',
  durationS: '2',
  crashFraction: '0.05',
};

describe("checkLoadDraft (the app's Load form)", () => {
  it('turns sound text into the request', () => {
    expect(checkLoadDraft(DRAFT)).toEqual({
      request: { connections: 200, rate: 10, size: 64, durationS: 2, crashFraction: 0.05 },
      errors: {},
    });
    expect(checkLoadDraft({ ...DRAFT, rate: ' 2.5 ' }).request?.rate).toBe(2.5);
  });

  it('refuses each faulty field with the words the CLI uses for the same value', () => {
    const faulty: LoadDraft = {
      connections: '0',
      rate: 'ten',
      size: '1.5',
      durationS: '',
      crashFraction: '1e-2',
    };
    const { request, errors } = checkLoadDraft(faulty);
    expect(request).toBeNull();
    expect(errors).toEqual({
      connections: `connections must be a whole number from 1 to ${MAX_LOAD_CONNECTIONS}`,
      rate: 'rate must be a number from 0 to 1000',
      size: 'size must be a whole number from 1 to 65536',
      durationS: 'duration must be a number from 0.1 to 600',
      crashFraction: 'crash fraction must be a number from 0 to 1',
    });
    for (const [key, text] of [
      ['connections', String(MAX_LOAD_CONNECTIONS + 1)],
      ['size', '0'],
      ['durationS', '601'],
    ] as const) {
      const fromCli = checkLoadOptions({ [key]: Number(text) });
      expect(fromCli.ok).toBe(false);
      expect(checkLoadDraft({ ...DRAFT, [key]: text }).errors[key]).toBe(
        !fromCli.ok && fromCli.error.message,
      );
    }
  });

  it('applies the budget across fields once each field is sound', () => {
    expect(checkLoadDraft({ ...DRAFT, connections: '20000', rate: '1000', durationS: '600' })).toEqual({
      request: null,
      errors: { budget: `connections × rate × duration must be at most ${MAX_LOAD_MESSAGES} messages` },
    });
  });
});
