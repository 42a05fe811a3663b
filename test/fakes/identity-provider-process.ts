import { chiefAccount, devAccounts } from './dev-accounts';
import { startIdentityProvider } from './identity-provider';

/**
 * The development identity provider as a process of its own (oidc-provider is ESM-only, so jest
 * runs it this way): the reference accounts plus the registry records in IDP_EXTRA_CHIEFS (JSON),
 * then one JSON line on stdout with its URL and client.
 */
async function main(): Promise<void> {
  const extra = JSON.parse(process.env.IDP_EXTRA_CHIEFS ?? '[]');
  const provider = await startIdentityProvider([...devAccounts(), ...extra.flatMap(chiefAccount)]);
  process.stdout.write(
    `${JSON.stringify({ url: provider.url, clientId: provider.clientId, clientSecret: provider.clientSecret })}\n`,
  );
  process.on('SIGTERM', () => void provider.close().then(() => process.exit(0)));
}

void main();
