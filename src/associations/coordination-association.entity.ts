import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { County } from '../municipalities/county.entity';

/** A coordination association (samordningsförbund, "Finsam"), as the registry knows it. */
@Entity('coordination_association')
export class CoordinationAssociation extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The registry's identifier (the association's organisation number in production). */
  @Index({ unique: true })
  @Column({ type: 'text' })
  externalId: string;

  @Index()
  @Column({ type: 'text' })
  name: string;

  @Index()
  @Column({ type: 'char', length: 2 })
  countyCode: string;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_code' })
  county?: Relation<County>;

  @Column({ type: 'text', nullable: true })
  chiefName: string | null;

  @Column({ type: 'text', nullable: true })
  chiefEmail: string | null;

  /** Where handovers are pushed; null means the association pulls them from its feed. */
  @Column({ type: 'text', nullable: true })
  endpointUrl: string | null;

  /** The endpoint's Standard Webhooks secret, AES-256-GCM encrypted with SECRETS_KEY. */
  @Column({ type: 'text', nullable: true })
  endpointSecretEncrypted: string | null;

  /** Set when the receiver answered 410 Gone: pushes stop until an administrator sets a new endpoint. */
  @Column({ type: 'timestamptz', nullable: true })
  endpointDisabledAt: Date | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @VersionColumn()
  version: number;
}
