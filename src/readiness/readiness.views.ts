import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '../core/http/api-docs';
import { ReadinessLesson, ReadinessResult } from './readiness.rules';

export class ReadinessPointView {
  @ApiProperty({ example: 'top-management-sign-off' })
  id: string;

  @ApiProperty({ enum: ReadinessLesson })
  lesson: ReadinessLesson;

  @ApiProperty({ enum: ReadinessResult })
  result: ReadinessResult;

  @ApiProperty({ description: 'Why, in Swedish, for the people who act on it' })
  reason: string;
}

/** PASS or WARN per lesson of the final report; it never blocks finishing. */
export class PackageReadinessView {
  @ApiProperty(DATE_TIME)
  assessedAt: string;

  @ApiProperty({ type: [ReadinessPointView] })
  points: ReadinessPointView[];
}

export class ReadinessView extends PackageReadinessView {
  @ApiProperty({ format: 'uuid' })
  areaId: string;
}
