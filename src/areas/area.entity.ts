import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Principal } from '../core/domain/principal';
import { AreaMunicipality } from './area-municipality.entity';
import { AreaStatus, KurPhase, KurRegion } from './area.enums';

export interface AreaPrincipalContact {
  principal: Principal;
  contactName: string;
  contactEmail?: string | null;
}

/** A Försäkringskassan local area with its partners ("X med partner"), granted KUR money. */
@Entity('area')
@Index(['kurPhase'])
@Index(['name', 'kurPhase'], { unique: true })
@Index(['name', 'id'])
@Index(['id'], { where: "status = 'FINISHED' AND routed_revision < handover_revision" })
export class Area extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Index()
  @Column({ type: 'enum', enum: KurRegion, enumName: 'kur_region' })
  kurRegion: KurRegion;

  @Column({ type: 'enum', enum: KurPhase, enumName: 'kur_phase' })
  kurPhase: KurPhase;

  /** Whole SEK; null when the grant is not recorded (the KUR 2 sources give no per-area amounts). */
  @Column({ type: 'integer', nullable: true })
  grantedSek: number | null;

  /** Sum of the activities' granted amounts; kept here so the grant rule is checked under the area's lock. */
  @Column({ type: 'integer', default: 0 })
  allocatedSek: number;

  @Index()
  @Column({ type: 'enum', enum: AreaStatus, enumName: 'area_status', default: AreaStatus.DRAFT })
  status: AreaStatus;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  principals: AreaPrincipalContact[];

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @OneToMany(() => AreaMunicipality, (link) => link.area)
  municipalities?: AreaMunicipality[];

  /** 0 until finished; each handover round of the area (a plan revised after handover) adds one. */
  @Column({ type: 'integer', default: 0 })
  handoverRevision: number;

  /** The last handover revision routing has made handovers for; behind handoverRevision, routing is due. */
  @Column({ type: 'integer', default: 0 })
  routedRevision: number;

  @VersionColumn()
  version: number;
}
