import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Municipality } from '../municipalities/municipality.entity';

/** A municipality's PRIO inventory for one year. Written only by the PRIO sync. */
@Entity('prio_inventory')
@Index(['municipalityCode', 'year'], { unique: true })
export class PrioInventory extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 4 })
  municipalityCode: string;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code' })
  municipality?: Relation<Municipality>;

  @Column({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  inventoriedPersons: number;

  @Column({ type: 'integer' })
  unmetHousingNeeds: number;

  @Column({ type: 'integer' })
  unmetOccupationNeeds: number;

  @Column({ type: 'date' })
  analysisDate: string;

  /** Whether the municipality agreed an employment strategy with Försäkringskassan and Arbetsförmedlingen. */
  @Column({ type: 'boolean' })
  employmentStrategyAgreed: boolean;

  @Column({ type: 'integer' })
  sourceRevision: number;

  @Column({ type: 'timestamptz', precision: 3 })
  sourceUpdatedAt: Date;

  @Column({ type: 'timestamptz', precision: 3 })
  syncedAt: Date;
}
