import pino, { type Logger, type LoggerOptions } from 'pino';

/** Keys whose values are secrets or personal data. Matched at any depth up to 3 levels. */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  'apiKey',
  'hmacKey',
  'email',
  'phone',
  'ip',
  'ipAddress',
  'deviceId',
  'cardNumber',
  'pan',
  'cvv',
  'shippingAddress',
  'billingAddress',
  'fullName',
  'firstName',
  'lastName',
  'cardholderName',
] as const;

export function redactPaths(keys: readonly string[] = REDACTED_KEYS): string[] {
  return keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`, `req.headers.${k.toLowerCase()}`]);
}

export interface CreateLoggerOptions {
  name: string;
  level?: string;
  destination?: pino.DestinationStream;
}

export function createLogger({ name, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: redactPaths(), censor: '[REDACTED]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
