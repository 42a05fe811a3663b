import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Transporter, createTransport } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Stable per announcement, so a receiving system can recognise a resend. */
  messageId: string;
}

/** E-mail through SMTP (nodemailer). Without SMTP_URL there is no e-mail, said once at start-up. */
@Injectable()
export class Mailer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(Mailer.name);
  private transport?: Transporter;

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    if (!this.config.SMTP_URL) {
      this.logger.log('SMTP_URL is not set: no e-mail will be sent (announcements are recorded as SKIPPED)');
      return;
    }
    const url = new URL(this.config.SMTP_URL);
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      connectionTimeout: this.config.PARTNER_TIMEOUT_MS,
      greetingTimeout: this.config.PARTNER_TIMEOUT_MS,
      socketTimeout: this.config.PARTNER_TIMEOUT_MS,
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }

  get enabled(): boolean {
    return Boolean(this.transport);
  }

  /** The server's answer; throws when the server did not accept the mail. */
  async send(mail: Mail): Promise<string> {
    if (!this.transport) throw new Error('SMTP_URL is not set');
    const info = await this.transport.sendMail({
      from: this.config.MAIL_FROM,
      ...mail,
      messageId: `<${mail.messageId}>`,
    });
    return String(info.response);
  }
}
