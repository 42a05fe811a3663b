import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';

/** A Swedish county (län), keyed by its 2-digit SCB code. Reference data. */
@Entity('county')
export class County extends TimestampedEntity {
  @PrimaryColumn({ type: 'char', length: 2 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  regionName: string;
}
