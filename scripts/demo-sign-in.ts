import { createServer } from 'node:net';
import { DEMO_ADMIN, DEMO_COORDINATOR, DevAccount, devAccounts } from '../test/fakes/dev-accounts';
import { IdentityProvider, startIdentityProvider } from '../test/fakes/identity-provider';
import { freePort } from '../test/support/private-services';
import { DemoClient } from './demo-kur2-end';

/** Browser sign-in for the demo: the development identity provider and the settings that point the service at it. */
export interface DemoSignIn {
  provider: IdentityProvider;
  accounts: DevAccount[];
  /** PORT (free now), PUBLIC_URL, OIDC_* and ADMIN_EMAILS. */
  settings: Record<string, string>;
}

export async function startDemoSignIn(host: string, preferredPort: number): Promise<DemoSignIn> {
  const accounts = devAccounts();
  const provider = await startIdentityProvider(accounts);
  const port = (await portFree(host, preferredPort)) ? preferredPort : await freePort();
  const publicUrl = `http://${host}:${port}`;
  return {
    provider,
    accounts,
    settings: {
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      OIDC_ISSUER_URL: provider.url,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_REDIRECT_URL: `${publicUrl}/auth/callback`,
      ADMIN_EMAILS: DEMO_ADMIN.email,
    },
  };
}

/** The demo coordinator: added by the administrator and granted the first two KUR 2 areas. */
export async function grantDemoCoordinator(api: DemoClient): Promise<string[]> {
  const areas = (await api.all<{ id: string; name: string }>('/api/v1/areas')).slice(0, 2);
  const { body: user } = await api.call('POST', '/api/v1/users', {
    email: DEMO_COORDINATOR.email,
    name: DEMO_COORDINATOR.name,
  });
  for (const area of areas)
    await api.call('POST', `/api/v1/users/${user.id}/grants`, { role: 'COORDINATOR', areaId: area.id });
  return areas.map((area) => area.name);
}

/** Where to sign in, and every demo account on a line of its own. */
export function printSignIn(url: string, signIn: DemoSignIn, coordinatorAreas: string[]): void {
  console.log(`\nThe web app: ${url}/ (chiefs: Inkorg, Uppföljning; administrators: Att fördela, Leveranser, …)`);
  console.log(`Sign in there with one of these accounts (development identity provider ${signIn.provider.url}):`);
  for (const account of signIn.accounts) {
    const scope = account.role === 'COORDINATOR' ? coordinatorAreas.join(' + ') : (account.association ?? '');
    console.log(
      `  ${account.role.padEnd(17)} ${scope.padEnd(60)} ${account.email.padEnd(58)} password: ${account.password}`,
    );
  }
}

function portFree(host: string, port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
