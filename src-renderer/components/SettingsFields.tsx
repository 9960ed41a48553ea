import { COLLECTION_MODE_IDS, COLLECTION_MODES } from '../../src-shared/collection-modes';
import type { CollectionMode, MatchMode } from '../../src-shared/events';
import { FAILURE_POLICIES, type FailurePolicy } from '../../src-shared/failure-policies';
import { MATCH_MODE_IDS, MATCH_MODES } from '../../src-shared/match-modes';
import type { DraftCheck } from '../store/draft-validation';
import type { SettingsDraft } from '../store/settings-draft';

interface SettingsFieldsProps {
  values: SettingsDraft;
  check: DraftCheck;
  disabled: boolean;
  onChange: (patch: Partial<SettingsDraft>) => void;
}

function FieldError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <span className="field-error" id={id} data-testid={id} role="alert">
      {message}
    </span>
  );
}

/** Host, port, crash word, match mode, policy and collection mode, each checked as it is typed. */
export function SettingsFields({ values, check, disabled, onChange }: SettingsFieldsProps) {
  return (
    <fieldset className="settings-fields" disabled={disabled}>
      <label className="field field-host">
        <span className="field-label">Host</span>
        <input
          data-testid="field-host"
          value={values.host}
          spellCheck={false}
          aria-invalid={check.host !== null}
          aria-describedby={check.host ? 'error-host' : undefined}
          onChange={(e) => onChange({ host: e.target.value })}
        />
        <FieldError id="error-host" message={check.host} />
      </label>
      <label className="field field-port">
        <span className="field-label">Port</span>
        <input
          data-testid="field-port"
          value={values.port}
          inputMode="numeric"
          aria-invalid={check.port !== null}
          aria-describedby={check.port ? 'error-port' : undefined}
          onChange={(e) => onChange({ port: e.target.value })}
        />
        <FieldError id="error-port" message={check.port} />
      </label>
      <label className="field field-crash">
        <span className="field-label">Crash word</span>
        <input
          data-testid="field-crash-word"
          value={values.crashWord}
          spellCheck={false}
          aria-invalid={check.crashWord !== null}
          aria-describedby={check.crashWord ? 'error-crash-word' : undefined}
          onChange={(e) => onChange({ crashWord: e.target.value })}
        />
        <FieldError id="error-crash-word" message={check.crashWord} />
      </label>
      <label className="field field-match">
        <span className="field-label">Match</span>
        <select
          data-testid="field-match"
          value={values.match}
          onChange={(e) => onChange({ match: e.target.value as MatchMode })}
          title={MATCH_MODE_IDS.map((mode) => `${mode}: ${MATCH_MODES[mode].rule}`).join('; ')}
        >
          {MATCH_MODE_IDS.map((mode) => (
            <option key={mode} value={mode}>
              {MATCH_MODES[mode].label}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-policy">
        <span className="field-label">Failure policy</span>
        <select
          data-testid="field-policy"
          value={values.policy}
          onChange={(e) => onChange({ policy: e.target.value as FailurePolicy })}
        >
          {FAILURE_POLICIES.map((policy) => (
            <option key={policy} value={policy}>
              {policy}
            </option>
          ))}
        </select>
      </label>
      <label className="field field-collection">
        <span className="field-label">Collection</span>
        <select
          data-testid="field-collection"
          value={values.collection}
          onChange={(e) => onChange({ collection: e.target.value as CollectionMode })}
          title="When a failed task nobody references is collected (it matters under unhandled): at once, as CPython's reference counting does, or when V8 gets to it"
        >
          {COLLECTION_MODE_IDS.map((mode) => (
            <option key={mode} value={mode}>
              {COLLECTION_MODES[mode].label}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
