import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { Municipality } from '../municipalities/municipality.entity';
import { Area } from './area.entity';

/** A municipality an area covers. */
@Entity('area_municipality')
export class AreaMunicipality extends TimestampedEntity {
  @PrimaryColumn({ type: 'uuid' })
  areaId: string;

  @ManyToOne(() => Area, (area) => area.municipalities, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_id' })
  area?: Relation<Area>;

  @Index()
  @PrimaryColumn({ type: 'char', length: 4 })
  municipalityCode: string;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_code' })
  municipality?: Relation<Municipality>;
}
