import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Area } from '../areas/area.entity';
import { TimestampedEntity } from '../core/database/timestamped.entity';
import { User } from './user.entity';

/** Roles an administrator grants; association chiefs come from the registry instead. */
export enum GrantedRole {
  ADMIN = 'ADMIN',
  COORDINATOR = 'COORDINATOR',
}

/** One role of one person: ADMIN, or COORDINATOR of one area (a row per area). */
@Entity('role_grant')
export class RoleGrant extends TimestampedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ type: 'uuid' })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'enum', enum: GrantedRole, enumName: 'granted_role' })
  role: GrantedRole;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  areaId: string | null;

  @ManyToOne(() => Area, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'area_id' })
  area?: Relation<Area>;

  /** The actor who granted it. */
  @Column({ type: 'text' })
  grantedBy: string;
}
