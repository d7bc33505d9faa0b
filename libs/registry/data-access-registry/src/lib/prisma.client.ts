import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from '../generated/prisma/client';
import { quoteIdent } from './migrate';

export interface RegistryPrismaOptions {
  databaseUrl: string;
  /** `public` in production; a unique schema per e2e test file. */
  schema?: string;
  poolMax?: number;
}

/** Prisma 7 runs offline through the pg driver adapter; search_path is pinned so raw SQL sees the same schema. */
export function createRegistryPrisma(opts: RegistryPrismaOptions): PrismaClient {
  const schema = opts.schema ?? 'public';
  const adapter = new PrismaPg(
    { connectionString: opts.databaseUrl, max: opts.poolMax ?? 10, options: `-c search_path=${quoteIdent(schema)}`, application_name: 'registry' },
    { schema },
  );
  return new PrismaClient({ adapter });
}

export type RegistryPrisma = PrismaClient;
export type RegistryTx = Prisma.TransactionClient;
export { Prisma };
