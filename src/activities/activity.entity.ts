import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn, Relation } from 'typeorm';
import { Area } from '../areas/area.entity';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Principal } from '../core/domain/principal';
import { ActivityStatus, ActivityType, HiredRole, SessionFormat } from './activity.enums';

export interface ActivitySession {
  format: SessionFormat;
  date: string | null;
  place: string | null;
}

export interface PrincipalParticipants {
  principal: Principal;
  planned: number | null;
  actual: number | null;
}

export interface UserInvolvement {
  /** null: the sources leave it open whether user organisations took part in planning. */
  userOrganisationsInPlanning: boolean | null;
  userOrganisations: string[];
  livedExperienceSpeakers: boolean;
}

/** A granted piece of KUR work: a joint knowledge initiative or a cooperation plan. */
@Entity('activity')
@Index(['areaId', 'title'], { unique: true })
@Index(['createdAt', 'id'])
export class Activity extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Relation<Area>;

  @Index()
  @Column({ type: 'enum', enum: ActivityType, enumName: 'activity_type' })
  type: ActivityType;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', array: true, default: [] })
  themes: string[];

  @Index()
  @Column({ type: 'enum', enum: ActivityStatus, enumName: 'activity_status', default: ActivityStatus.PLANNED })
  status: ActivityStatus;

  @Column({ type: 'enum', enum: Principal, enumName: 'principal', array: true, default: [] })
  planningPrincipals: Principal[];

  @Column({ type: 'date', nullable: true })
  periodStart: string | null;

  @Column({ type: 'date', nullable: true })
  periodEnd: string | null;

  /** Total planned participants when the sources give only a total. */
  @Column({ type: 'integer', nullable: true })
  plannedParticipants: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  participants: PrincipalParticipants[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  sessions: ActivitySession[];

  @Column({ type: 'enum', enum: HiredRole, enumName: 'hired_role', array: true, default: [] })
  hiredRoles: HiredRole[];

  @Column({ type: 'jsonb' })
  userInvolvement: UserInvolvement;

  @Column({ type: 'boolean', default: false })
  usesPrioInventory: boolean;

  /** Set by the plans module when a cooperation plan of this activity is AGREED. */
  @Column({ type: 'boolean', default: false })
  hasAgreedCooperationPlan: boolean;

  @Column({ type: 'integer', default: 0 })
  grantedSek: number;

  @Column({ type: 'integer', default: 0 })
  spentSek: number;

  @Column({ type: 'integer', default: 0 })
  repaidSek: number;

  @VersionColumn()
  version: number;
}
