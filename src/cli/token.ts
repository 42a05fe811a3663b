import { parseArgs } from 'node:util';
import { Role } from '../auth/principal';
import { signDevelopmentToken } from '../auth/token.service';
import { runEntryPoint } from '../core/entry-point';

const USAGE =
  'usage: npm run token -- --role ADMIN|COORDINATOR|ASSOCIATION_CHIEF|SERVICE [--subject NAME] [--areas ID,ID] [--association ID] [--ttl 12h (at most AUTH_TOKEN_MAX_LIFETIME)]';

/** Mints a development token signed with AUTH_JWT_SECRET; the token is the last line printed. */
runEntryPoint(async () => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      subject: { type: 'string', default: 'developer' },
      areas: { type: 'string' },
      association: { type: 'string' },
      ttl: { type: 'string', default: process.env.AUTH_TOKEN_MAX_LIFETIME || '12h' },
    },
  });
  const secret = process.env.AUTH_JWT_SECRET;
  if (!secret) throw new Error('AUTH_JWT_SECRET is missing (see .env.example)');
  const role = values.role as Role;
  if (!Object.values(Role).includes(role)) throw new Error(USAGE);
  if (role === Role.ASSOCIATION_CHIEF && !values.association)
    throw new Error('--association ID is required for ASSOCIATION_CHIEF');
  const token = await signDevelopmentToken(
    secret,
    {
      sub: values.subject,
      role,
      ...(values.areas ? { areas: values.areas.split(',') } : {}),
      ...(values.association ? { association: values.association } : {}),
    },
    // The API checks these when they are configured, so the token carries them.
    { ttl: values.ttl, issuer: process.env.AUTH_ISSUER || undefined, audience: process.env.AUTH_AUDIENCE || undefined },
  );
  console.log(`${role} token for ${values.subject}, valid ${values.ttl}:`);
  console.log(token);
});
