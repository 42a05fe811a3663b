import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Municipality } from '../municipalities/municipality.entity';
import { CoordinationAssociation } from './coordination-association.entity';

/**
 * A municipality's membership of an association over [validFrom, validTo).
 * Closed by setting validTo, never deleted, so "who covered M on date D" stays answerable.
 */
@Entity('membership')
@Index(['municipalityCode', 'validFrom'])
@Index(['associationId', 'municipalityCode'], { unique: true, where: 'valid_to IS NULL' })
export class Membership extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  associationId: string;

  @ManyToOne(() => CoordinationAssociation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'association_id' })
  association?: Relation<CoordinationAssociation>;

  @Column({ type: 'char', length: 4 })
  municipalityCode: string;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code' })
  municipality?: Relation<Municipality>;

  @Column({ type: 'date' })
  validFrom: string;

  @Column({ type: 'date', nullable: true })
  validTo: string | null;
}
