import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role, actorOf } from '../auth/principal';
import { PageQuery, mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { validationFailed } from '../core/http/problem';
import { PeopleService } from './people.service';
import { GrantedRole, RoleGrant } from './role-grant.entity';
import { CreateGrantDto, CreateUserDto } from './user.dto';
import { User } from './user.entity';

const toUserView = (user: User) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  issuer: user.issuer,
  signedUp: user.subject !== null,
  lastSignedInAt: user.lastSignedInAt,
  createdAt: user.createdAt,
});

const toGrantView = (grant: RoleGrant) => ({
  id: grant.id,
  role: grant.role,
  areaId: grant.areaId,
  grantedBy: grant.grantedBy,
  createdAt: grant.createdAt,
});

/** People and the roles administrators grant them (chiefs come from the registry, not from here). */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Roles(Role.ADMIN)
@Controller('users')
export class UsersController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  async list(@Query() query: PageQuery) {
    return mapPage(await this.people.listUsers(query), toUserView);
  }

  @Post()
  async create(@CurrentCaller() caller: Caller, @Body() dto: CreateUserDto) {
    return toUserView(await this.people.addUser(dto.email, dto.name ?? null, actorOf(caller)));
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string) {
    return toUserView(await this.people.getUser(id));
  }

  @Get(':id/grants')
  async grants(@Param('id', UuidParam) id: string) {
    await this.people.getUser(id);
    return { items: (await this.people.grantsOf(id)).map(toGrantView) };
  }

  @Post(':id/grants')
  async grant(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() dto: CreateGrantDto) {
    if ((dto.role === GrantedRole.COORDINATOR) !== Boolean(dto.areaId)) {
      throw validationFailed([
        { field: 'areaId', message: 'areaId is required for COORDINATOR and not allowed for ADMIN' },
      ]);
    }
    return toGrantView(await this.people.grant(caller, id, dto.role, dto.areaId ?? null));
  }

  @Delete(':id/grants/:grantId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Param('grantId', UuidParam) grantId: string,
  ): Promise<void> {
    await this.people.revoke(id, grantId, actorOf(caller));
  }
}
