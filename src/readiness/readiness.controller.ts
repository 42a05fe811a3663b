import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Caller } from '../auth/principal';
import { UuidParam } from '../core/http/params';
import { ReadinessService } from './readiness.service';

@ApiTags('areas')
@ApiBearerAuth()
@Controller('areas')
export class ReadinessController {
  constructor(private readonly readiness: ReadinessService) {}

  /** PASS or WARN per lesson of the final report, with a reason a person can act on; it never blocks finishing. */
  @Get(':id/readiness')
  async get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return this.readiness.forCaller(caller, id);
  }
}
