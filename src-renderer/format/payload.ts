/** Decodes the base64 previews events carry; malformed input decodes to nothing rather than throwing. */
export function decodeBase64(b64: string): Uint8Array {
  try {
    const binary = atob(b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return new Uint8Array();
  }
}

const ESCAPES: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };
const decoder = new TextDecoder('utf-8');

/** Bytes as readable text: UTF-8, with line endings and other control characters made visible. */
export function bytesToText(bytes: Uint8Array): string {
  let out = '';
  for (const c of decoder.decode(bytes)) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? (ESCAPES[c] ?? `\\x${code.toString(16).padStart(2, '0')}`) : c;
  }
  return out;
}

/** Bytes as hex pairs: "62 6f 6f 6d 0d 0a". */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i > 0 ? ' ' : '') + bytes[i]!.toString(16).padStart(2, '0');
  return out;
}

/** A base64 preview as visible text. */
export function previewText(b64: string): string {
  return bytesToText(decodeBase64(b64));
}
