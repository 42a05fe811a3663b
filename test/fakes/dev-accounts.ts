import { RegistryRecord } from '../../src/associations/registry-record';
import { referenceAssociations } from './reference-registry';

/** One person at the development identity provider. All are fictitious; e-mails are at .example domains. */
export interface DevAccount {
  subject: string;
  email: string;
  name: string;
  password: string;
  /** What the service will make of them (shown by the demo): ADMIN, COORDINATOR or ASSOCIATION_CHIEF. */
  role: 'ADMIN' | 'COORDINATOR' | 'ASSOCIATION_CHIEF';
  association?: string;
}

/** The one password of every development account (this provider is for development and tests only). */
export const DEV_PASSWORD = 'demo-losenord';

export const DEMO_ADMIN: DevAccount = {
  subject: 'demo-admin',
  email: 'admin@kur-demo.example',
  name: 'Demo Administratör',
  password: DEV_PASSWORD,
  role: 'ADMIN',
};

export const DEMO_COORDINATOR: DevAccount = {
  subject: 'demo-coordinator',
  email: 'samordnare@kur-demo.example',
  name: 'Demo Samordnare',
  password: DEV_PASSWORD,
  role: 'COORDINATOR',
};

/** The demo administrator, a coordinator, and the chief of every association the registry lists with one. */
export function devAccounts(associations: RegistryRecord[] = referenceAssociations()): DevAccount[] {
  return [DEMO_ADMIN, DEMO_COORDINATOR, ...associations.flatMap(chiefAccount)];
}

export function chiefAccount(association: RegistryRecord): DevAccount[] {
  if (!association.chief) return [];
  return [
    {
      subject: `chief-${association.chief.email}`,
      email: association.chief.email,
      name: association.chief.name,
      password: DEV_PASSWORD,
      role: 'ASSOCIATION_CHIEF',
      association: association.name,
    },
  ];
}
