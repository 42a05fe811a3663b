import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PeopleService, VerifiedIdentity } from '../people/people.service';
import { SessionsService } from '../people/sessions.service';

/** What happens around a sign-in: the person's record, a fresh session id, and the audit trail. */
@Injectable()
export class SignInService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** A new session id every time (a session the browser still held is ended), so none can be fixed in advance. */
  async signedIn(identity: VerifiedIdentity, idToken: string | null, previousSessionId?: string): Promise<string> {
    if (previousSessionId) await this.sessions.end(previousSessionId);
    const user = await this.people.signedIn(identity);
    const sessionId = await this.sessions.start(user.id, idToken);
    await this.record(`user:${user.id}`, 'user.signed_in', user.id, { issuer: identity.issuer });
    return sessionId;
  }

  failed(reason: string): Promise<void> {
    return this.record('anonymous', 'user.sign_in_failed', '-', { reason });
  }

  signedOut(userId: string): Promise<void> {
    return this.record(`user:${userId}`, 'user.signed_out', userId);
  }

  private record(actor: string, action: string, entityId: string, changes: Record<string, unknown> = {}) {
    return this.audit.record(this.dataSource.manager, { actor, action, entityType: 'user', entityId, changes });
  }
}
