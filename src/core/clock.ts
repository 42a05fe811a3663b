import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { today } from './time';

/**
 * The service's notion of now. Real time, unless CLOCK_NOW (never in production) starts it at
 * another instant; it then runs at real speed from there, so every process given the same
 * CLOCK_NOW agrees on the day.
 */
@Injectable()
export class Clock {
  private readonly offsetMs: number;

  constructor(config: AppConfig) {
    this.offsetMs = config.CLOCK_NOW ? Date.parse(config.CLOCK_NOW) - Date.now() : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Today's date (YYYY-MM-DD) in Sweden. */
  today(): string {
    return today(this.now());
  }
}
