import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

/**
 * AES-256-GCM for secrets at rest (endpoint signing secrets), for every module that keeps one. Stored
 * as `v1.<iv>.<tag>.<ciphertext>` in base64url, so the key can be rotated by version later.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(config.SECRETS_KEY, 'base64');
    if (this.key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('Unrecognised sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // GCM's own message ("unable to authenticate data") tells an operator nothing they can act on.
      throw new Error(
        'A stored secret cannot be opened with this SECRETS_KEY: the key differs from the one that sealed it ' +
          '(restore that key) or the stored value was damaged (set the secret again)',
      );
    }
  }
}
