import { z } from 'zod';

/** Env vars are strings; these coerce them with defaults and clear messages. */
export const envInt = (def: number) => z.coerce.number().int().default(def);
export const envNumber = (def: number) => z.coerce.number().default(def);
export const envBool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const envList = (def: string[]) =>
  z
    .string()
    .default(def.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
