import { DataSourceOptions } from 'typeorm';
import { Activity } from '../src/activities/activity.entity';
import { AreaMunicipality } from '../src/areas/area-municipality.entity';
import { Area } from '../src/areas/area.entity';
import { CoordinationAssociation } from '../src/associations/coordination-association.entity';
import { Membership } from '../src/associations/membership.entity';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { NamingStrategy } from '../src/core/database/naming-strategy';
import { County } from '../src/municipalities/county.entity';
import { Municipality } from '../src/municipalities/municipality.entity';
import { PlanRevision } from '../src/plans/plan-revision.entity';
import { PlanSignOff } from '../src/plans/plan-sign-off.entity';
import { Plan } from '../src/plans/plan.entity';
import { DeliveryAttempt } from '../src/handovers/delivery-attempt.entity';
import { Handover } from '../src/handovers/handover.entity';
import { OutboxMessage } from '../src/outbox/outbox-message.entity';
import { PrioInventory } from '../src/prio/prio-inventory.entity';
import { ProgrammeBudget } from '../src/reports/programme-budget.entity';
import { FollowUpRound } from '../src/follow-ups/follow-up-round.entity';
import { FollowUpReport } from '../src/follow-ups/follow-up-report.entity';
import { Notification } from '../src/notifications/notification.entity';
import { ResolutionCase } from '../src/resolutions/resolution-case.entity';
import { SyncRun } from '../src/sync/sync-run.entity';
import { RoleGrant } from '../src/people/role-grant.entity';
import { User } from '../src/people/user.entity';
import { UserSession } from '../src/people/user-session.entity';
import { migrations } from '../migrations';

/** Every entity, listed once: the app, the migration CLI and the drift check share this list. */
export const entities = [
  County,
  Municipality,
  CoordinationAssociation,
  Membership,
  Area,
  AreaMunicipality,
  Activity,
  Plan,
  PlanRevision,
  PlanSignOff,
  AuditEvent,
  PrioInventory,
  OutboxMessage,
  Handover,
  DeliveryAttempt,
  ResolutionCase,
  SyncRun,
  ProgrammeBudget,
  FollowUpRound,
  FollowUpReport,
  Notification,
  User,
  RoleGrant,
  UserSession,
];

/** How the service's connections name themselves to PostgreSQL (pg_stat_activity). */
export const APPLICATION_NAME = 'kur-handover';

/**
 * Session settings of every connection. JIT off: PostgreSQL compiles any plan whose estimated cost
 * passes jit_above_cost, on every execution, which costs tens of milliseconds. The generic plans
 * of the prepared statements assume 100 rows in each JSON list, so as the tables grew the routing
 * read crossed the line and went from about 3 ms to 60–110 ms a call; statements of this service's
 * size never gain that time back.
 */
const SESSION_OPTIONS = '-c jit=off';

/** `poolSize`: connections the process may open (the app sizes it to its workers: AppConfig.databasePoolSize). */
export function databaseOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    namingStrategy: new NamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    extra: { max: poolSize, application_name: APPLICATION_NAME, options: SESSION_OPTIONS },
  };
}
