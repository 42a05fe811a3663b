import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '../core/http/api-docs';
import { GrantedRole, RoleGrant } from './role-grant.entity';
import { User } from './user.entity';

export class UserView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The identity provider, once the person has signed in' })
  issuer: string | null;

  @ApiProperty({ description: 'Whether the person has signed in at least once' })
  signedUp: boolean;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lastSignedInAt: string | null;

  @ApiProperty(DATE_TIME)
  createdAt: string;
}

export class GrantView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: GrantedRole })
  role: GrantedRole;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'COORDINATOR: the area' })
  areaId: string | null;

  @ApiProperty()
  grantedBy: string;

  @ApiProperty(DATE_TIME)
  createdAt: string;
}

export class GrantListView {
  @ApiProperty({ type: [GrantView] })
  items: GrantView[];
}

const iso = (date: Date | string | null): string | null => (date === null ? null : new Date(date).toISOString());

export const toUserView = (user: User): UserView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  issuer: user.issuer,
  signedUp: user.subject !== null,
  lastSignedInAt: iso(user.lastSignedInAt),
  createdAt: iso(user.createdAt) as string,
});

export const toGrantView = (grant: RoleGrant): GrantView => ({
  id: grant.id,
  role: grant.role,
  areaId: grant.areaId,
  grantedBy: grant.grantedBy,
  createdAt: iso(grant.createdAt) as string,
});
