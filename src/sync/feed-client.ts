import { Injectable, Logger } from '@nestjs/common';
import axios, { AxiosError } from 'axios';
import { AppConfig } from '../../config/app-config';

/**
 * GETs one page of a partner feed with a timeout, retrying failures (5xx, 429 with Retry-After,
 * timeouts, network errors) with exponential backoff; a page that keeps failing throws.
 */
@Injectable()
export class FeedClient {
  private readonly logger = new Logger(FeedClient.name);

  constructor(private readonly config: AppConfig) {}

  async page<T>(url: string, params: Record<string, string | number | undefined>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await axios.get<T>(url, {
          params,
          timeout: this.config.PARTNER_TIMEOUT_MS,
          responseType: 'json',
        });
        return response.data;
      } catch (error) {
        const status = (error as AxiosError).response?.status;
        const permanent = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
        if (permanent || attempt >= this.config.SYNC_PAGE_ATTEMPTS)
          throw new Error(`${url}: ${describe(error)} (attempt ${attempt})`);
        const delay = Math.max(this.config.SYNC_PAGE_RETRY_MS * 2 ** (attempt - 1), retryAfter(error));
        this.logger.warn({ url, params, attempt, delay, error: describe(error) }, 'Feed page failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

function describe(error: unknown): string {
  const axiosError = error as AxiosError;
  if (axiosError.response) return `HTTP ${axiosError.response.status}`;
  return axiosError.code ?? (error as Error).message;
}

function retryAfter(error: unknown): number {
  const header: unknown = (error as AxiosError).response?.headers?.['retry-after'];
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}
