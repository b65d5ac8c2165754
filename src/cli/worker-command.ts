// `nightshift worker`: a job worker on its own (no HTTP). Any number of them, on any machines,
// share one Postgres server: each fires due schedules once between them and takes jobs as it can.
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import { taskDeps } from '../jobs/task-deps.ts';
import { startWorker } from '../jobs/worker.ts';
import { createLogger } from '../log.ts';
import { assertSystemUser } from '../runner/campaign-runner.ts';
import { resolveSecrets } from '../secrets.ts';
import { commandConfig } from './context.ts';
import { exitAfter, shutdownSignal } from './shutdown-signal.ts';

export async function workerCommand(): Promise<void> {
  const { config } = commandConfig();
  const log = createLogger(config.logLevel);
  const secrets = resolveSecrets(config);
  const signal = shutdownSignal(log);

  const db = await openDatabase(config.database, `nightshift-worker-${process.pid}`);
  let worker: Awaited<ReturnType<typeof startWorker>>;
  try {
    await migrate(db);
    await assertSystemUser(db, config.systemUserId);
    worker = await startWorker(taskDeps(config, secrets, db, log), config.jobs);
  } catch (error) {
    await db.close();
    throw error;
  }
  const close = async () => {
    await worker.stop();
    await db.close();
  };
  if (signal.came()) await exitAfter(log, close);
  process.stdout.write(`Nightshift worker running (${db.kind}, pid ${process.pid}). Stop with Ctrl-C.\n`);
  await signal.received;
  await exitAfter(log, close);
}
