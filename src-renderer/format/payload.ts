import { base64ToBytes } from '../../src-shared/base64';
import { formatPayload } from '../../src-shared/payload-notation';

/** A base64 preview as visible text: printable UTF-8 as itself, every other byte as an escape. */
export function previewText(b64: string): string {
  return formatPayload(base64ToBytes(b64), 'text');
}
