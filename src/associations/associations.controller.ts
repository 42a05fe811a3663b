import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role } from '../auth/principal';
import { IfMatch, setEtag } from '../core/http/etag';
import { PageQuery, mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { validationFailed } from '../core/http/problem';
import {
  AddMembershipDto,
  AssociationQuery,
  CloseMembershipDto,
  CreateAssociationDto,
  UpdateAssociationDto,
} from './association.dto';
import { toAssociationView, toMembershipView } from './association.views';
import { AssociationsService } from './associations.service';
import { CoordinationAssociation } from './coordination-association.entity';

const MembershipIdParam = new ParseUUIDPipe({
  exceptionFactory: () => validationFailed([{ field: 'membershipId', message: 'membershipId must be a UUID' }]),
});

@ApiTags('associations')
@ApiBearerAuth()
@Controller('associations')
export class AssociationsController {
  constructor(private readonly associations: AssociationsService) {}

  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: AssociationQuery) {
    const page = await this.associations.list(caller, query);
    const members = await this.associations.currentMembers(page.items.map((row) => row.id));
    return mapPage(page, (row) => toAssociationView(row, members.get(row.id) ?? []));
  }

  @Get(':id')
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.view(await this.associations.get(caller, id), reply);
  }

  @Post()
  @Roles(Role.ADMIN)
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateAssociationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return this.view(await this.associations.create(caller, dto), reply);
  }

  @Patch(':id')
  @Roles(Role.ADMIN)
  async update(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @IfMatch() version: number,
    @Body() dto: UpdateAssociationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.view(await this.associations.update(caller, id, version, dto), reply);
  }

  @Get(':id/memberships')
  async memberships(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: PageQuery) {
    return mapPage(await this.associations.listMemberships(caller, id, query), toMembershipView);
  }

  @Post(':id/memberships')
  @Roles(Role.ADMIN)
  async addMembership(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Body() dto: AddMembershipDto,
  ) {
    return toMembershipView(await this.associations.addMembership(caller, id, dto));
  }

  @Post(':id/memberships/:membershipId/close')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.ADMIN)
  async closeMembership(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Param('membershipId', MembershipIdParam) membershipId: string,
    @Body() dto: CloseMembershipDto,
  ) {
    return toMembershipView(await this.associations.closeMembership(caller, id, membershipId, dto));
  }

  private async view(association: CoordinationAssociation, reply: FastifyReply) {
    setEtag(reply, association.version);
    const members = await this.associations.currentMembers([association.id]);
    return toAssociationView(association, members.get(association.id) ?? []);
  }
}
