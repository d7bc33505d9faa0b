export { createLogger, redactPaths, REDACTED_KEYS } from './lib/logger';
export type { CreateLoggerOptions, Logger } from './lib/logger';
