import { Column, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import { KurPhase } from '../areas/area.enums';
import { TimestampedEntity } from '../core/database/timestamped.entity';

/**
 * The programme's money per phase and period as the government and Försäkringskassan report it
 * (allotted, distributed to areas, repaid). Maintained by administrators; the final report's
 * figures are loaded by migration with where they stand.
 */
@Entity('programme_budget')
@Index(['kurPhase', 'yearFrom', 'yearTo'], { unique: true })
export class ProgrammeBudget extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: KurPhase, enumName: 'kur_phase' })
  kurPhase: KurPhase;

  @Column({ type: 'integer' })
  yearFrom: number;

  @Column({ type: 'integer' })
  yearTo: number;

  @Column({ type: 'integer', nullable: true })
  allottedSek: number | null;

  @Column({ type: 'integer', nullable: true })
  distributedSek: number | null;

  @Column({ type: 'integer', nullable: true })
  repaidSek: number | null;

  /** Where the figures stand (document, section, quote). */
  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @VersionColumn()
  version: number;
}
