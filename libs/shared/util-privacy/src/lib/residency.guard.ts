import { ForbiddenError } from '@risk/util-errors';

export const RESIDENCY_VIOLATION = 'RESIDENCY_VIOLATION';

/** A service runs for exactly one region and refuses to write records, or to open stores, of another. */
export function assertSameRegion(serviceRegion: string, recordRegion: string, what: string): void {
  if (serviceRegion !== recordRegion) {
    throw new ForbiddenError(RESIDENCY_VIOLATION, `${what} belongs to region "${recordRegion}" but this service serves "${serviceRegion}"`);
  }
}

/**
 * Store endpoints are configured per region (e.g. REDIS_URL_EU). A store must be tagged with the region it lives in;
 * opening one tagged for another region is refused before any connection is made.
 */
export function assertStoreRegion(serviceRegion: string, store: { name: string; region: string }): void {
  if (store.region !== serviceRegion) {
    throw new ForbiddenError(RESIDENCY_VIOLATION, `store "${store.name}" is in region "${store.region}", not "${serviceRegion}"`);
  }
}
