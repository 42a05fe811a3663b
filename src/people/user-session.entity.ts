import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { User } from './user.entity';

/** A signed-in browser. The cookie holds a random id; only its SHA-256 is stored, so the table grants nothing. */
@Entity('user_session')
export class UserSession extends TimestampedEntity {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  /** Sign-in time, by the service's clock: the absolute lifetime counts from here. */
  @Column({ type: 'timestamptz', precision: 3 })
  startedAt: Date;

  /** The idle timeout counts from here. */
  @Index()
  @Column({ type: 'timestamptz', precision: 3 })
  lastSeenAt: Date;

  /** The secret this session's CSRF tokens are made from and checked against. */
  @Column({ type: 'text' })
  csrfSecret: string;

  /** Kept only as id_token_hint for logout at the provider. */
  @Column({ type: 'text', nullable: true })
  idToken: string | null;
}
