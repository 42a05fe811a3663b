import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { PlanContent } from './plan-content';
import { Plan } from './plan.entity';

/** One immutable numbered version of a plan's content. */
@Entity('plan_revision')
@Index(['planId', 'revision'], { unique: true })
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
