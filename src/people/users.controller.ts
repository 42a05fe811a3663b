import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint } from '../auth/endpoint';
import { Caller, Role, actorOf } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { PageQuery, mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { validationFailed } from '../core/http/problem';
import { GrantListView, GrantView, UserView, toGrantView, toUserView } from './people.views';
import { PeopleService } from './people.service';
import { GrantedRole } from './role-grant.entity';
import { CreateUserDto, CreateGrantDto } from './user.dto';

const ADMINS = [Role.ADMIN];

/** People and the roles administrators grant them (chiefs come from the registry, not from here). */
@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @Endpoint({
    summary: 'People known to the service',
    roles: ADMINS,
    responses: { status: 200, type: PageOf(UserView) },
    errors: [400],
  })
  async list(@Query() query: PageQuery) {
    return mapPage(await this.people.listUsers(query), toUserView);
  }

  @Post()
  @Endpoint({
    summary: 'Add a person by e-mail, before they first sign in',
    roles: ADMINS,
    body: true,
    responses: { status: 201, type: UserView },
    errors: [409],
  })
  async create(@CurrentCaller() caller: Caller, @Body() dto: CreateUserDto) {
    return toUserView(await this.people.addUser(dto.email, dto.name ?? null, actorOf(caller)));
  }

  @Get(':id')
  @Endpoint({ summary: 'A person', roles: ADMINS, responses: { status: 200, type: UserView }, errors: [400, 404] })
  async get(@Param('id', UuidParam) id: string) {
    return toUserView(await this.people.getUser(id));
  }

  @Get(':id/grants')
  @Endpoint({
    summary: "A person's role grants",
    roles: ADMINS,
    responses: { status: 200, type: GrantListView },
    errors: [400, 404],
  })
  async grants(@Param('id', UuidParam) id: string) {
    await this.people.getUser(id);
    return { items: (await this.people.grantsOf(id)).map(toGrantView) };
  }

  @Post(':id/grants')
  @Endpoint({
    summary: 'Grant a person ADMIN, or COORDINATOR of one area',
    roles: ADMINS,
    body: true,
    responses: { status: 201, type: GrantView },
    errors: [404, 409, 422],
  })
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
  @Endpoint({ summary: 'Revoke a grant', roles: ADMINS, responses: { status: 204 }, errors: [400, 404] })
  async revoke(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Param('grantId', UuidParam) grantId: string,
  ): Promise<void> {
    await this.people.revoke(id, grantId, actorOf(caller));
  }
}
