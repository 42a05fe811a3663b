import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn, Relation } from 'typeorm';
import { Activity } from '../activities/activity.entity';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { PlanKind, PlanStatus } from './plan.enums';

/**
 * A cooperation or competence development plan of an activity. Its content lives in numbered,
 * immutable revisions; the plan is AGREED when all four principals signed its latest revision.
 */
@Entity('plan')
@Index(['createdAt', 'id'])
@Index(['activityId', 'createdAt', 'id'])
export class Plan extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  activityId: string;

  @ManyToOne(() => Activity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'activity_id' })
  activity?: Relation<Activity>;

  @Column({ type: 'enum', enum: PlanKind, enumName: 'plan_kind' })
  kind: PlanKind;

  @Column({ type: 'enum', enum: PlanStatus, enumName: 'plan_status', default: PlanStatus.DRAFT })
  status: PlanStatus;

  @Column({ type: 'integer' })
  latestRevision: number;

  /** The newest revision all four principals signed; what a handover cites. */
  @Column({ type: 'integer', nullable: true })
  agreedRevision: number | null;

  @VersionColumn()
  version: number;
}
