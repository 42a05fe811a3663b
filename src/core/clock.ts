import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

/**
 * The service's idea of now. CLOCK_NOW (never in production) starts it at a chosen instant, from
 * which it runs on at real speed, so tests move time by configuration instead of waiting.
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
}
