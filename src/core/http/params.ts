import { ParseUUIDPipe } from '@nestjs/common';
import { validationFailed } from './problem';

/** `:id` path parameters must be UUIDs; anything else is a 400 problem. */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => validationFailed([{ field: 'id', message: 'id must be a UUID' }]),
});

export const MUNICIPALITY_CODE = /^\d{4}$/;
export const COUNTY_CODE = /^\d{2}$/;
