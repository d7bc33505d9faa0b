export { runMigrations, dropSchema, quoteIdent } from './lib/migrate';
export type { MigrateOptions, MigrateResult } from './lib/migrate';
