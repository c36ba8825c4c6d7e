import { PGlite } from '@electric-sql/pglite';

/**
 * PGlite runs inside the app's process and fills all its shared buffers at start: PostgreSQL's
 * default of 128 MB made an idle server on an empty database take about 400 MB. With 32 MB it is
 * about 120 MB less; its files are read through the operating system's cache anyway.
 */
const SHARED_BUFFERS = '32MB';

/** A PGlite instance with this app's settings: on files (dataDir), in memory, or from a dump (loadDataDir). */
export function createPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PGlite> {
  return PGlite.create({
    ...options,
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
}
