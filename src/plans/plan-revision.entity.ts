import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { PlanContent } from './plan-content';
import { Plan } from './plan.entity';

/** One immutable numbered version of a plan's content. */
@Entity('plan_revision')
@Index(['planId', 'revision'], { unique: true })
@Check(
  'chk_plan_revision_follow_up_interval',
  `coalesce(jsonb_typeof(content #> '{followUp,intervalMonths}'), 'null') = 'null' OR (content #>> '{followUp,intervalMonths}') ~ '^([1-9]|1[0-9]|2[0-4])$'`,
)
export class PlanRevision extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => Plan, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_id' })
  plan?: Relation<Plan>;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ type: 'jsonb' })
  content: PlanContent;

  @Column({ type: 'text' })
  createdBy: string;
}
