import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSecretFiles } from '../../../src/secret-files.js';
import { makeTempDir } from '../../helpers/temp-dirs.js';

const dir = makeTempDir('vigil-secrets');
const tokenFile = path.join(dir, 'admin');
writeFileSync(tokenFile, 's3cret-token\n');

describe('resolveSecretFiles', () => {
  it('reads NAME_FILE into NAME without the trailing newline', () => {
    const env = resolveSecretFiles({ VIGIL_ADMIN_TOKEN_FILE: tokenFile, OTHER: 'x' });
    expect(env['VIGIL_ADMIN_TOKEN']).toBe('s3cret-token');
    expect(env['OTHER']).toBe('x');
  });

  it('leaves variables set directly alone', () => {
    expect(resolveSecretFiles({ VIGIL_WEBHOOK_TOKEN: 'direct' })['VIGIL_WEBHOOK_TOKEN']).toBe('direct');
  });

  it('refuses both forms at once and unreadable files, naming the variable but not the secret', () => {
    expect(() => resolveSecretFiles({ VIGIL_ADMIN_TOKEN: 'a', VIGIL_ADMIN_TOKEN_FILE: tokenFile })).toThrow(
      'VIGIL_ADMIN_TOKEN and VIGIL_ADMIN_TOKEN_FILE are both set: use one',
    );
    expect(() => resolveSecretFiles({ DATABASE_URL_FILE: path.join(dir, 'missing') })).toThrow(
      /^DATABASE_URL_FILE: cannot read .*missing \(ENOENT\)$/,
    );
  });
});
