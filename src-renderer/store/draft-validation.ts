import { checkCrashWord, checkHost, checkPort } from '../../src-shared/command-validation';
import type { StartArgs } from '../../src-shared/commands';
import type { SettingsDraft } from './settings-draft';

/** Each field's problem, if any, and the start arguments when every field is valid. */
export interface DraftCheck {
  host: string | null;
  port: string | null;
  crashWord: string | null;
  args: StartArgs | null;
}

/** Validates the control bar's fields with the same checks the hosts apply, before Start is offered. */
export function checkDraft(draft: SettingsDraft): DraftCheck {
  const host = checkHost(draft.host.trim());
  const portText = draft.port.trim();
  const port = checkPort(
    /^\d{1,5}$/.test(portText) ? Number(portText) : portText === '' ? 'nothing' : portText,
  );
  const crashWord = checkCrashWord(draft.crashWord);
  const args =
    host.ok && port.ok && crashWord.ok
      ? {
          host: host.value,
          port: port.value,
          crashWord: crashWord.value,
          match: draft.match,
          policy: draft.policy,
          collection: draft.collection,
        }
      : null;
  return {
    host: host.ok ? null : host.error.message,
    port: port.ok ? null : port.error.message,
    crashWord: crashWord.ok ? null : crashWord.error.message,
    args,
  };
}
