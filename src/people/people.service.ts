import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AssociationsService } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { AreasService } from '../areas/areas.service';
import { Caller, Role, actorOf } from '../auth/principal';
import { Clock } from '../core/clock';
import { Page, PageQuery, paginate } from '../core/http/pagination';
import { conflict, notFound } from '../core/domain/errors';
import { GrantedRole, RoleGrant } from './role-grant.entity';
import { User } from './user.entity';

/** What a person may do right now, from the service's records. */
export interface PersonRole {
  role: Role;
  areaIds: string[];
  associationId: string | null;
}

/** The identity a provider vouched for at sign-in. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string;
  name: string | null;
}

/**
 * People and their roles. Administrators and coordinators are granted here; a chief is whoever the
 * registry lists as an active association's chief, looked up at every request so a replaced chief
 * loses access at once.
 */
@Injectable()
export class PeopleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly associations: AssociationsService,
    private readonly areas: AreasService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The person with this (issuer, subject); a person an administrator added by this e-mail is bound to it. */
  async signedIn(identity: VerifiedIdentity): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(User);
      const email = identity.email.toLowerCase();
      const user =
        (await users.findOneBy({ issuer: identity.issuer, subject: identity.subject })) ??
        (await users.findOneBy({ email, subject: IsNull() })) ??
        users.create();
      Object.assign(user, {
        issuer: identity.issuer,
        subject: identity.subject,
        email,
        name: identity.name ?? user.name ?? null,
        lastSignedInAt: this.clock.now(),
      });
      return users.save(user);
    });
  }

  /** The role a person has now, or null. */
  async roleOf(user: User): Promise<PersonRole | null> {
    const grants = await this.dataSource.getRepository(RoleGrant).findBy({ userId: user.id });
    if (this.config.adminEmails.includes(user.email) || grants.some((grant) => grant.role === GrantedRole.ADMIN)) {
      return { role: Role.ADMIN, areaIds: [], associationId: null };
    }
    const areaIds = grants.filter((grant) => grant.areaId).map((grant) => grant.areaId as string);
    if (areaIds.length > 0) return { role: Role.COORDINATOR, areaIds: areaIds.sort(), associationId: null };
    const [association] = await this.associations.findActiveByChiefEmail(user.email);
    return association ? { role: Role.ASSOCIATION_CHIEF, areaIds: [], associationId: association.id } : null;
  }

  findUser(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ id });
  }

  async getUser(id: string): Promise<User> {
    const user = await this.findUser(id);
    if (!user) throw notFound('User', id);
    return user;
  }

  listUsers(query: PageQuery): Promise<Page<User>> {
    return paginate(
      this.dataSource.getRepository(User).createQueryBuilder('u'),
      [
        { column: 'u.created_at', value: (row) => row.createdAt },
        { column: 'u.id', value: (row) => row.id },
      ],
      query,
    );
  }

  /** Adds a person by e-mail before their first sign-in, so roles can be granted ahead. */
  async addUser(email: string, name: string | null, actor: string): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const users = manager.getRepository(User);
      if (await users.existsBy({ email: email.toLowerCase() })) throw conflict(`A user with e-mail ${email} exists`);
      const user = await users.save(users.create({ email: email.toLowerCase(), name, issuer: null, subject: null }));
      await this.audit.record(manager, {
        actor,
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        changes: { email: [null, user.email] },
      });
      return user;
    });
  }

  grantsOf(userId: string): Promise<RoleGrant[]> {
    return this.dataSource.getRepository(RoleGrant).find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** ADMIN with no area, or COORDINATOR of one area (the controller checks the pairing). */
  async grant(caller: Caller, userId: string, role: GrantedRole, areaId: string | null): Promise<RoleGrant> {
    const actor = actorOf(caller);
    return this.dataSource.transaction(async (manager) => {
      await this.lockUser(manager, userId);
      const grants = manager.getRepository(RoleGrant);
      if (await grants.existsBy({ userId, role, areaId: areaId ?? IsNull() })) {
        throw conflict('This person has this role already');
      }
      if (areaId) await this.areas.findVisible(caller, areaId, manager);
      const saved = await grants.save(grants.create({ userId, role, areaId, grantedBy: actor }));
      await this.audit.record(manager, {
        actor,
        action: 'user.role_granted',
        entityType: 'user',
        entityId: userId,
        changes: { grant: [null, { id: saved.id, role, areaId }] },
      });
      return saved;
    });
  }

  async revoke(userId: string, grantId: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lockUser(manager, userId);
      const grant = await manager.getRepository(RoleGrant).findOneBy({ id: grantId, userId });
      if (!grant) throw notFound('Grant', grantId);
      await manager.getRepository(RoleGrant).delete({ id: grant.id });
      await this.audit.record(manager, {
        actor,
        action: 'user.role_revoked',
        entityType: 'user',
        entityId: userId,
        changes: { grant: [{ id: grant.id, role: grant.role, areaId: grant.areaId }, null] },
      });
    });
  }

  private async lockUser(manager: EntityManager, userId: string): Promise<void> {
    const user = await manager
      .getRepository(User)
      .findOne({ where: { id: userId }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw notFound('User', userId);
  }
}
