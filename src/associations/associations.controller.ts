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
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint, SCOPE } from '../auth/endpoint';
import { Caller, Role } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
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
import { AssociationView, MembershipView, toAssociationView, toMembershipView } from './association.views';
import { AssociationsService } from './associations.service';
import { CoordinationAssociation } from './coordination-association.entity';
import { Membership } from './membership.entity';

const MembershipIdParam = new ParseUUIDPipe({
  exceptionFactory: () => validationFailed([{ field: 'membershipId', message: 'membershipId must be a UUID' }]),
});

@ApiTags('associations')
@Controller('associations')
export class AssociationsController {
  constructor(private readonly associations: AssociationsService) {}

  @Get()
  @Endpoint({
    summary: 'List coordination associations',
    scope: SCOPE.ASSOCIATION,
    responses: { status: 200, type: PageOf(AssociationView) },
    errors: [400],
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: AssociationQuery) {
    const page = await this.associations.list(caller, query);
    const members = await this.associations.currentMembers(page.items.map((row) => row.id));
    return mapPage(page, (row) => toAssociationView(row, members.get(row.id) ?? []));
  }

  @Get(':id')
  @Endpoint({
    summary: 'Read a coordination association',
    scope: SCOPE.ASSOCIATION,
    responses: { status: 200, type: AssociationView, etag: true },
    errors: [400, 404],
  })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.view(await this.associations.get(caller, id), reply);
  }

  @Post()
  @Endpoint({
    summary: 'Create a coordination association (the registry sync does this nightly)',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 201, type: AssociationView, etag: true },
    errors: [409, 422],
  })
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateAssociationDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return this.view(await this.associations.create(caller, dto), reply);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change an association (chief, push endpoint and its secret, active)',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 200, type: AssociationView, etag: true },
    errors: [404, 409, 422],
  })
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
  @Endpoint({
    summary: "An association's memberships, current and past",
    scope: SCOPE.ASSOCIATION,
    responses: { status: 200, type: PageOf(MembershipView) },
    errors: [400, 404],
  })
  async memberships(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: PageQuery) {
    const page = await this.associations.listMemberships(caller, id, query);
    const names = await this.associations.municipalityNames(page.items);
    return mapPage(page, (membership) => toMembershipView(membership, names));
  }

  @Post(':id/memberships')
  @Endpoint({
    summary: 'Add a member municipality',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 201, type: MembershipView },
    errors: [404, 409, 422],
  })
  async addMembership(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Body() dto: AddMembershipDto,
  ) {
    return this.membershipView(await this.associations.addMembership(caller, id, dto));
  }

  @Post(':id/memberships/:membershipId/close')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'End a membership (it is kept, with its validTo)',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 200, type: MembershipView },
    errors: [404, 409, 422],
  })
  async closeMembership(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Param('membershipId', MembershipIdParam) membershipId: string,
    @Body() dto: CloseMembershipDto,
  ) {
    return this.membershipView(await this.associations.closeMembership(caller, id, membershipId, dto));
  }

  private async membershipView(membership: Membership) {
    return toMembershipView(membership, await this.associations.municipalityNames([membership]));
  }

  private async view(association: CoordinationAssociation, reply: FastifyReply) {
    setEtag(reply, association.version);
    const members = await this.associations.currentMembers([association.id]);
    return toAssociationView(association, members.get(association.id) ?? []);
  }
}
