import { COLLECTION_MODE_IDS } from '../../src-shared/collection-modes';
import { checkSettings } from '../../src-shared/command-validation';
import type { ServerSettings } from '../../src-shared/events';
import { FAILURE_POLICIES } from '../../src-shared/failure-policies';
import { MATCH_MODE_IDS } from '../../src-shared/match-modes';
import { ATTACH_OPTION_SPECS, type AttachOption, parseAttachOption } from './attach-option';
import { parseRecordOption, RECORD_HELP, RECORD_USAGE, type RecordOption } from './record-option';
import { parseStrictOptions, UsageError } from './strict-options';

export interface ServeOptions {
  settings: ServerSettings;
  json: boolean;
  /** `--verbose`: a `got data!` line per read, as the article's fixed listing prints. */
  verbose: boolean;
  /** `--record FILE`: every event to FILE, or null. */
  record: RecordOption | null;
  /** `--attach-port`: watch a Python program run under the probe instead of running the built-in server. */
  attach: AttachOption | null;
}

export const SERVE_USAGE = `Usage: echoscope serve [--host 127.0.0.1] [--port 8000] [--policy ${FAILURE_POLICIES.join('|')}]
                       [--collection ${COLLECTION_MODE_IDS.join('|')}] [--crash-word boom] [--match ${MATCH_MODE_IDS.join('|')}]
                       [--recv-size 1024] [--verbose] [--json]
                       ${RECORD_USAGE}
       echoscope serve --attach-port 8765 [--attach-host 127.0.0.1] [--json] ${RECORD_USAGE}
${RECORD_HELP}
  --attach-port prints a Python program's tasks instead of running the built-in server: run the program
  under the probe with the command it prints (token included). The server options do not apply then.`;

function parseInteger(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  // A sign is let through so that the settings check can name the range (`--port -1`).
  if (!/^-?\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

/** Parses `serve` options strictly: unknown options, missing values and invalid settings are errors. */
export function parseServeOptions(argv: string[]): ServeOptions {
  const values = parseStrictOptions(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    policy: { type: 'string' },
    'crash-word': { type: 'string' },
    match: { type: 'string' },
    'recv-size': { type: 'string' },
    collection: { type: 'string' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    record: { type: 'string' },
    'record-limit': { type: 'string' },
    ...ATTACH_OPTION_SPECS,
  });
  const partial: Record<string, unknown> = {
    host: values.host,
    port: parseInteger('port', values.port as string | undefined),
    policy: values.policy,
    crashWord: values['crash-word'],
    match: values.match,
    recvSize: parseInteger('recv-size', values['recv-size'] as string | undefined),
    collection: values.collection,
  };
  for (const key of Object.keys(partial)) if (partial[key] === undefined) delete partial[key];
  const attach = parseAttachOption(values);
  if (typeof attach === 'string') throw new UsageError(attach);
  if (attach && (Object.keys(partial).length > 0 || values.verbose === true)) {
    throw new UsageError(
      '--attach-port watches a Python program instead of the built-in server: the server options do not apply',
    );
  }
  const checked = checkSettings(partial);
  if (!checked.ok) throw new UsageError(checked.error.message);
  const record = parseRecordOption(
    values.record as string | undefined,
    values['record-limit'] as string | undefined,
  );
  return {
    settings: checked.value,
    json: values.json === true,
    verbose: values.verbose === true,
    record,
    attach,
  };
}
