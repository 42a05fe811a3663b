import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Principal } from '../core/domain/principal';
import { ManagementLevel } from './plan.enums';
import { PlanRevision } from './plan-revision.entity';

/** A principal's management approving one plan revision (förankring). */
@Entity('plan_sign_off')
@Index(['planRevisionId', 'principal'], { unique: true })
export class PlanSignOff extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  planRevisionId: string;

  @ManyToOne(() => PlanRevision, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plan_revision_id' })
  planRevision?: Relation<PlanRevision>;

  @Column({ type: 'enum', enum: Principal, enumName: 'principal' })
  principal: Principal;

  @Column({ type: 'text' })
  signerName: string;

  @Column({ type: 'enum', enum: ManagementLevel, enumName: 'management_level' })
  managementLevel: ManagementLevel;

  @Column({ type: 'date' })
  signedOn: string;
}
