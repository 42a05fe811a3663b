import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation, VersionColumn } from 'typeorm';
import { Area } from '../areas/area.entity';
import { CoordinationAssociation } from '../associations/coordination-association.entity';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Municipality } from '../municipalities/municipality.entity';
import type { HandoverPackageView } from './handover.views';
import { HandoverStatus, RecipientType } from './handover.enums';

/**
 * The package of an area's finished KUR work for one recipient. Routing creates it once per
 * (area, revision, routing key); its package is frozen when it becomes READY.
 */
@Entity('handover')
@Index(['createdAt', 'id'])
@Index(['areaId', 'revision', 'routingKey'], { unique: true })
@Index(['associationId', 'deliverySeq'])
@Index(['status', 'updatedAt'])
export class Handover extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'area_id' })
  area?: Relation<Area>;

  /** 1 for the first handover of an area; a plan revised after handover makes the next. */
  @Column({ type: 'integer' })
  revision: number;

  /** `association:<id>` or `municipality:<code>`: what makes a handover unique within a revision. */
  @Column({ type: 'text' })
  routingKey: string;

  @Column({ type: 'enum', enum: RecipientType, enumName: 'recipient_type', nullable: true })
  recipientType: RecipientType | null;

  @Column({ type: 'uuid', nullable: true })
  associationId: string | null;

  @ManyToOne(() => CoordinationAssociation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'association_id' })
  association?: Relation<CoordinationAssociation>;

  /** DIRECT_TO_MUNICIPALITY: the municipality that receives the package itself. */
  @Index({ where: 'recipient_municipality_code IS NOT NULL' })
  @Column({ type: 'char', length: 4, nullable: true })
  recipientMunicipalityCode: string | null;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'recipient_municipality_code' })
  recipientMunicipality?: Relation<Municipality>;

  /** DIRECT_TO_MUNICIPALITY: contact and optional push endpoint (secret sealed like associations'). */
  @Column({ type: 'jsonb', nullable: true })
  directRecipient: {
    contactName: string;
    contactEmail: string;
    endpointUrl: string | null;
    endpointSecretEncrypted: string | null;
  } | null;

  @Column({ type: 'char', length: 4, array: true })
  municipalityCodes: string[];

  @Column({ type: 'enum', enum: HandoverStatus, enumName: 'handover_status' })
  status: HandoverStatus;

  /** The Standard Webhooks `webhook-id`: the same on every retry and redelivery. */
  @Index({ unique: true })
  @Column({ type: 'text' })
  deliveryId: string;

  /** Incremented by each redelivery, so its job id is new. */
  @Column({ type: 'integer', default: 0 })
  deliveryRound: number;

  /**
   * When the next delivery attempt is due (now, when it became READY; later after an attempt that
   * asked for a retry). A READY handover past it must have its job in Redis: the sweep checks.
   */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  nextAttemptAt: Date;

  /** Position in the recipient's feed: assigned when the handover is delivered. */
  @Column({ type: 'bigint', nullable: true })
  deliverySeq: string | null;

  @Column({ type: 'jsonb', nullable: true })
  package: HandoverPackageView | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** The newer revision that replaces this one. */
  @Index({ where: 'superseded_by_id IS NOT NULL' })
  @Column({ type: 'uuid', nullable: true })
  supersededById: string | null;

  @ManyToOne(() => Handover, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'superseded_by_id' })
  supersededBy?: Relation<Handover>;

  @VersionColumn()
  version: number;
}
