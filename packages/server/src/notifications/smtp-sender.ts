/** Delivers a notification by e-mail through the platform's SMTP relay (nodemailer). */
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

export class SmtpSender {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(options: {
    readonly url: string;
    readonly from: string;
    readonly timeoutMs: number;
  }) {
    this.#transport = nodemailer.createTransport({
      url: options.url,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
    this.#from = options.from;
  }

  async send(input: {
    readonly to: string;
    readonly subject: string;
    readonly text: string;
    readonly deliveryId: string;
  }): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: input.to,
      subject: input.subject,
      text: input.text,
      headers: { 'X-Cordon-Delivery': input.deliveryId },
    });
  }

  close(): void {
    this.#transport.close();
  }
}
