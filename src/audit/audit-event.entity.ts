import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';

/** Who changed what, written in the same transaction as the change. Append-only. */
@Entity('audit_event')
@Index(['entityType', 'entityId', 'createdAt'])
@Index(['createdAt', 'id'])
export class AuditEvent extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `role:subject` of the token, or `system:<job>` for jobs and loaders. */
  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  entityType: string;

  @Column({ type: 'text' })
  entityId: string;

  /** Changed fields as {field: [before, after]}; secrets never appear here. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes: Record<string, unknown>;
}
