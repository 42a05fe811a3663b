import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, VersionColumn } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Area } from '../areas/area.entity';
import { Handover } from '../handovers/handover.entity';
import { Municipality } from '../municipalities/municipality.entity';
import { Resolution, ResolutionCaseReason, ResolutionCaseStatus } from './resolution.enums';

/** A municipality whose handover waits for an administrator to decide who takes the baton. */
@Entity('resolution_case')
@Index(['createdAt', 'id'])
@Index(['status', 'createdAt', 'id'])
@Index(['municipalityCode', 'status'])
export class ResolutionCase extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'uuid' })
  handoverId: string;

  @ManyToOne(() => Handover, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'handover_id' })
  handover?: Relation<Handover>;

  /** The handover's area, kept so the queue names the area's work without reading handovers. */
  @Index()
  @Column({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Relation<Area>;

  @Column({ type: 'char', length: 4 })
  municipalityCode: string;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code' })
  municipality?: Relation<Municipality>;

  /** The municipality's county, kept for the administrators' filter. */
  @Index()
  @Column({ type: 'char', length: 2 })
  countyCode: string;

  @Column({ type: 'enum', enum: ResolutionCaseReason, enumName: 'resolution_case_reason' })
  reason: ResolutionCaseReason;

  @Column({ type: 'text', nullable: true })
  reasonDetail: string | null;

  @Column({
    type: 'enum',
    enum: ResolutionCaseStatus,
    enumName: 'resolution_case_status',
    default: ResolutionCaseStatus.OPEN,
  })
  status: ResolutionCaseStatus;

  @Column({ type: 'enum', enum: Resolution, enumName: 'resolution', nullable: true })
  resolution: Resolution | null;

  /** The association assigned, the direct contact, or the waiver reason. */
  @Column({ type: 'jsonb', nullable: true })
  resolutionDetail: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  resolvedAt: Date | null;

  @VersionColumn()
  version: number;
}
