/**
 * Base64 for bytes crossing the contract (event previews, the built-in client's payloads), with the
 * platform's atob/btoa so that the renderer and the engine share it without Node's Buffer.
 */

/** Bytes as base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep `String.fromCharCode` under engines' argument limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Base64 as bytes; malformed input decodes to nothing rather than throwing. */
export function base64ToBytes(b64: string): Uint8Array {
  try {
    const binary = atob(b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return new Uint8Array();
  }
}

/** How many bytes well-formed, padded base64 holds, from its length and padding alone. */
export function base64ByteLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}
