import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';

/**
 * A person who signs in: their (issuer, subject) at the identity provider. An administrator may
 * add one by e-mail before they first sign in; the first sign-in with that verified e-mail binds it.
 */
@Entity('app_user')
@Index(['issuer', 'subject'], { unique: true })
@Index(['createdAt', 'id'])
export class User extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', nullable: true })
  issuer: string | null;

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  /** Lower-case, as last verified by the provider. */
  @Index()
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  lastSignedInAt: Date | null;
}
