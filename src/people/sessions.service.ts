import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Tokens from '@fastify/csrf';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, parseDuration } from '../../config/app-config';
import { Clock } from '../core/clock';
import { UserSession } from './user-session.entity';

const csrf = new Tokens({});

/** Server-side sessions: the browser holds a random id, the database everything else. */
@Injectable()
export class SessionsService {
  private readonly idleMs: number;
  private readonly lifetimeMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.idleMs = parseDuration(config.SESSION_IDLE_TIMEOUT);
    this.lifetimeMs = parseDuration(config.SESSION_MAX_LIFETIME);
  }

  /** A new session; the returned id goes into the cookie and nowhere else. */
  async start(userId: string, idToken: string | null): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.repository().insert({
      id: hashOf(id),
      userId,
      startedAt: now,
      lastSeenAt: now,
      csrfSecret: csrf.secretSync(),
      idToken,
    });
    return id;
  }

  /** The live session with this cookie id (its idle time restarts), or null when unknown, idle too long or too old. */
  async resume(id: string): Promise<UserSession | null> {
    const session = await this.repository().findOneBy({ id: hashOf(id) });
    if (!session) return null;
    const now = this.clock.now().getTime();
    if (now - session.lastSeenAt.getTime() > this.idleMs || now - session.startedAt.getTime() > this.lifetimeMs) {
      await this.repository().delete({ id: session.id });
      return null;
    }
    session.lastSeenAt = new Date(now);
    await this.repository().update({ id: session.id }, { lastSeenAt: session.lastSeenAt });
    return session;
  }

  /** Ends the session; returns what it held, for logout at the provider. */
  async end(id: string): Promise<UserSession | null> {
    const session = await this.repository().findOneBy({ id: hashOf(id) });
    if (session) await this.repository().delete({ id: session.id });
    return session;
  }

  csrfToken(session: UserSession): string {
    return csrf.create(session.csrfSecret);
  }

  csrfValid(session: UserSession, token: string | undefined): boolean {
    return typeof token === 'string' && csrf.verify(session.csrfSecret, token);
  }

  private repository() {
    return this.dataSource.getRepository(UserSession);
  }
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');
