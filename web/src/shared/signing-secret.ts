/**
 * A new Standard Webhooks signing secret (whsec_ + 32 random bytes in base64), made in the
 * browser: the service stores it encrypted and never shows it again, so the person copies it now.
 */
export function newSigningSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
