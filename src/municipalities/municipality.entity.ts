import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { County } from './county.entity';

/** A municipality (kommun), keyed by its 4-digit SCB code with the leading zero kept. Reference data. */
@Entity('municipality')
export class Municipality extends TimestampedEntity {
  @PrimaryColumn({ type: 'char', length: 4 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Index()
  @Column({ type: 'char', length: 2 })
  countyCode: string;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_code' })
  county?: Relation<County>;
}
