import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint, SCOPE } from '../auth/endpoint';
import { Caller } from '../auth/principal';
import { UuidParam } from '../core/http/params';
import { ReadinessService } from './readiness.service';
import { ReadinessView } from './readiness.views';

@ApiTags('areas')
@Controller('areas')
export class ReadinessController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get(':id/readiness')
  @Endpoint({
    summary: "An area's readiness for handover",
    description: 'PASS or WARN per lesson of the final report, with a reason a person can act on; it never blocks finishing.',
    scope: SCOPE.AREAS,
    responses: { status: 200, type: ReadinessView },
    errors: [400, 404],
  })
  async get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<ReadinessView> {
    return this.readiness.forCaller(caller, id);
  }
}
