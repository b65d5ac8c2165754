// The `nightshift` command line. Every command's module is imported only when that command is
// chosen (`lazily`), so `nightshift --help` loads commander alone and each command pays only for
// what it uses: importing every command's dependencies took about 2 s on each call.
import { Command } from 'commander';
import { TOKEN_HOURS } from './auth/token-hours.ts';
import { LOCAL_ADMIN_EMAIL } from './demo/local-admin.ts';

/** What commander hands an action: the arguments, then the options (untyped, as commander types them). */
type ActionArgs = Parameters<Parameters<Command['action']>[0]>;

/** An action that imports its command's module when it runs, and ends like every command (`runCommand`). */
function lazily<M>(load: () => Promise<M>, run: (module: M, ...args: ActionArgs) => Promise<void>) {
  return async (...args: ActionArgs): Promise<void> => {
    const { runCommand } = await import('./cli/errors.ts');
    await runCommand(async () => run(await load(), ...args));
  };
}

const program = new Command('nightshift')
  .description('Self-hosted engine that runs marketing campaigns on autopilot')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the HTTP API (embedded PGlite unless DATABASE_URL is set)')
  .option('--no-demo', 'do not load demo data into an empty embedded database')
  .option('--no-worker', 'API only: run no job worker in this process (run `nightshift worker` elsewhere)')
  .action(
    lazily(
      () => import('./cli/serve-command.ts'),
      (m, options: { demo: boolean; worker: boolean }) => m.serveCommand(options),
    ),
  );

program
  .command('worker')
  .description(
    'run a job worker: scheduled tasks, the campaign runner, the social dispatcher (any number, one database)',
  )
  .action(
    lazily(
      () => import('./cli/worker-command.ts'),
      (m) => m.workerCommand(),
    ),
  );

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(
    lazily(
      () => import('./cli/migrate-command.ts'),
      (m) => m.migrateCommand(),
    ),
  );

program
  .command('demo')
  .description('generate deterministic demo tenants (campaigns, daily stats, contacts, content)')
  .option('--tenants <n>', 'number of tenants', '1')
  .option('--campaigns <n>', 'campaigns per tenant', '40')
  .option('--days <n>', 'days of stats per campaign', '30')
  .option('--seed <n>', 'random seed: the same seed gives the same data', '42')
  .option('--contacts <n>', 'contacts per tenant', '250')
  .option('--prefix <slug>', 'slug of the first tenant (others get -2, -3, ...)', 'demo')
  .option('--last-day <YYYY-MM-DD>', 'last day with stats (default: today, UTC)')
  .option('--json', 'print the result as JSON')
  .action(
    lazily(
      () => import('./cli/demo-command.ts'),
      (m, options) => m.demoCommand(options),
    ),
  );

program
  .command('cycle')
  .description('run the autonomous cycle: pause losers, scale winners, per the rules and guardrails')
  .option('--tenant <slug|id>', 'one tenant, by slug or id (default: all)')
  .option('--dry-run', 'show the decisions without changing anything')
  .option(
    '--as-of <timestamp>',
    'replay: judge the data as it stood then (2026-11-20T23:00:00Z, or a UTC day: its end); a dry run unless --apply',
  )
  .option('--apply', "with --as-of: act now on the past day's decisions (see docs/replay.md before you do)")
  .option('--json', "print the seeds' summary shape as JSON, with per-tenant details")
  .option('--lock-wait <seconds>', 'wait at most this long for a cycle already running (NIGHTSHIFT_LOCK_WAIT_SECONDS)')
  .action(
    lazily(
      () => import('./cli/cycle-command.ts'),
      (m, options) => m.cycleCommand(options),
    ),
  );

program
  .command('locks')
  .description("who runs each tenant's cycle now, and since when; --cancel ends a stuck one")
  .option('--tenant <slug|id>', 'one tenant, by slug or id (default: every tenant whose cycle is running)')
  .option('--cancel', "cancel the tenant's running cycle (needs --tenant): its work is rolled back")
  .option('--json', 'print as JSON')
  .action(
    lazily(
      () => import('./cli/locks-command.ts'),
      (m, options) => m.locksCommand(options),
    ),
  );

program
  .command('backtest')
  .description("replay the tenant's rules over the last days of stats: what they would have done, and the money of it")
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .option('--days <n>', 'days to replay', '30')
  .option('--horizon <n>', 'days after an action whose stats judge it, at most (default 14)')
  .option('--json', 'print the result as JSON')
  .action(
    lazily(
      () => import('./cli/backtest-command.ts'),
      (m, options) => m.backtestCommand(options),
    ),
  );

program
  .command('run-automation')
  .description('launch due scheduled campaigns: generate recipients from their segment, set status sending')
  .option('--organization <slug|id>', 'one tenant, by slug or id (default: all)')
  .option('--json', "print the runner's response as JSON")
  .action(
    lazily(
      () => import('./cli/run-automation-command.ts'),
      (m, options) => m.runAutomationCommand(options),
    ),
  );

program
  .command('loop')
  .description('the CMO loop: optimize campaigns, flag stale content, raise alerts, or write the weekly summary')
  .option('--mode <mode>', 'optimize | full | summarize', 'optimize')
  .option('--tenant <slug|id>', 'one tenant, by slug or id (default: all)')
  .option('--json', 'print every run as JSON')
  .action(
    lazily(
      () => import('./cli/loop-command.ts'),
      (m, options) => m.loopCommand(options),
    ),
  );

program
  .command('agent <mode>')
  .description(
    'run a CMO agent for a workspace and stream its answer (modes: setup, strategy, funnels, campaigns, content, optimization)',
  )
  .requiredOption('--workspace <id>', 'the workspace the agent works for')
  .option(
    '--input <json>',
    'the agent\'s request fields as a JSON object, e.g. \'{"primaryGoal": "40 demos", "budget": 9000}\'',
  )
  .option('--json', 'print the run (output and stored rows) as JSON instead of streaming')
  .action(
    lazily(
      () => import('./cli/agent-command.ts'),
      (m, mode, options) => m.agentCommand(mode, options),
    ),
  );

program
  .command('workspaces')
  .description("each tenant's workspaces (id, slug, name), under the tenant's name: the ids agent --workspace takes")
  .option('--tenant <slug|id>', 'one tenant, by slug or id (default: all)')
  .option('--json', 'print the tenants and their workspaces as JSON')
  .action(
    lazily(
      () => import('./cli/workspaces-command.ts'),
      (m, options) => m.workspacesCommand(options),
    ),
  );

const contacts = program.command('contacts').description("a tenant's contacts: import a CSV file");

contacts
  .command('import <file>')
  .description(
    'import contacts from a CSV file with a header row (email, phone, first_name, …; other columns become attributes): each row checked, the bad ones reported by row and field',
  )
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .option('--segment <id>', 'also add every imported contact to this segment')
  .option('--on-error <mode>', 'abort: any bad row imports nothing; skip: import the good rows', 'abort')
  .option('--json', 'print the row-level report as JSON (no progress)')
  .action(
    lazily(
      () => import('./cli/contacts-command.ts'),
      (m, file: string, options) => m.contactsImportCommand(file, options),
    ),
  );

const jobs = program.command('jobs').description('the schedules: list, change, fire now, run history');

jobs
  .command('list', { isDefault: true })
  .description('each schedule: cron expression, time zone, next run, last result; and the dead-letter queue')
  .option('--json', 'print the schedules as JSON')
  .action(
    lazily(
      () => import('./cli/jobs-command.ts'),
      (m, options) => m.jobsListCommand(options),
    ),
  );

jobs
  .command('set <name>')
  .description('change a schedule (UTC unless --timezone); the next scheduler pass applies it')
  .option('--cron <expr>', 'cron expression: 5 fields (minute hour day month weekday) or 6 (seconds first)')
  .option('--timezone <tz>', 'IANA time zone the expression is read in, e.g. Europe/Paris')
  .option('--enable', 'let the schedule fire')
  .option('--disable', 'stop the schedule firing')
  .option('--data <json>', 'JSON object handed to every job of the schedule')
  .option('--json', 'print the schedule as JSON')
  .action(
    lazily(
      () => import('./cli/jobs-command.ts'),
      (m, name: string, options) => m.jobsSetCommand(name, options),
    ),
  );

jobs
  .command('run <name>')
  .description('fire a schedule now: the next scheduler pass queues its job for every tenant')
  .option('--json', 'print the schedule as JSON')
  .action(
    lazily(
      () => import('./cli/jobs-command.ts'),
      (m, name: string, options) => m.jobsRunCommand(name, options),
    ),
  );

jobs
  .command('runs <name>')
  .description("a schedule's run history, newest first: start, end, status, error, what it did")
  .option('--limit <n>', 'runs to show', '50')
  .option('--tenant <slug|id>', 'one tenant, by slug or id (default: all)')
  .option('--json', 'print the runs as JSON')
  .action(
    lazily(
      () => import('./cli/jobs-command.ts'),
      (m, name: string, options) => m.jobsRunsCommand(name, options),
    ),
  );

program
  .command('token')
  .description('mint a bearer token for a tenant member, up to their role (stdout; its expiry on stderr)')
  .option('--tenant <slug>', 'tenant slug (default: the member’s oldest tenant)')
  .option('--role <role>', 'owner | admin | member | viewer (at most the member’s own role)', 'admin')
  .option('--user <email>', 'the member the token is for', LOCAL_ADMIN_EMAIL)
  .option('--expires <duration>', 'lifetime, e.g. 30m, 12h or 7d', `${TOKEN_HOURS}h`)
  .option('--link', 'print a dashboard sign-in link (/#token=…) instead of the bare token')
  .option(
    '--url <base>',
    'the dashboard address for --link (default: the server running on this data, else HOST and PORT)',
  )
  .action(
    lazily(
      () => import('./cli/token-command.ts'),
      (m, options) => m.tokenCommand(options),
    ),
  );

const connect = program
  .command('connect')
  .description('connect an ad account on Meta or Google Ads (secrets from files or stdin, never as arguments)');

connect
  .command('meta')
  .description('connect a Meta ad account with a system user’s access token (ads_read, ads_management)')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .requiredOption('--account <id>', 'the ad account id (act_1234567890 or its digits)')
  .option('--token-file <path>', 'a file holding the access token')
  .option('--token-stdin', 'read the access token from stdin')
  .option(
    '--conversion-action <type>',
    'the actions entry counted as a conversion (offsite_conversion.fb_pixel_purchase)',
  )
  .option('--attribution-window <days>', 'days of stats re-read on every sync (default 7)')
  .option('--json', 'print the account as JSON')
  .action(
    lazily(
      () => import('./cli/ad-accounts-command.ts'),
      (m, options) => m.connectMetaCommand(options),
    ),
  );

connect
  .command('google')
  .description('connect a Google Ads customer with an OAuth refresh token (scope adwords)')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .requiredOption('--customer <id>', 'the customer id (123-456-7890)')
  .option('--login-customer <id>', 'the manager account the customer is reached through')
  .option('--refresh-token-file <path>', 'a file holding the refresh token')
  .option('--refresh-token-stdin', 'read the refresh token from stdin')
  .option('--client-id <id>', 'the OAuth client id (default NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_ID)')
  .option(
    '--client-secret-file <path>',
    'a file holding the OAuth client secret (default NIGHTSHIFT_GOOGLE_OAUTH_CLIENT_SECRET)',
  )
  .option(
    '--developer-token-file <path>',
    'a file holding the developer token (default NIGHTSHIFT_GOOGLE_ADS_DEVELOPER_TOKEN)',
  )
  .option('--attribution-window <days>', 'days of stats re-read on every sync (default 7)')
  .option('--json', 'print the account as JSON')
  .action(
    lazily(
      () => import('./cli/ad-accounts-command.ts'),
      (m, options) => m.connectGoogleCommand(options),
    ),
  );

const accounts = program
  .command('accounts')
  .description("a tenant's ad accounts: list, test, import campaigns, sync stats");

accounts
  .command('list', { isDefault: true })
  .description('each account: platform, account id, name, currency, status, the platform’s last error')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .option('--json', 'print the accounts as JSON')
  .action(
    lazily(
      () => import('./cli/ad-accounts-command.ts'),
      (m, options) => m.accountsListCommand(options),
    ),
  );

accounts
  .command('test <id>')
  .description('ask the platform for the account again: its name and currency, or its error in words (exit 1)')
  .option('--tenant <slug|id>', 'the tenant (default: the one that holds the account)')
  .option('--json', 'print the result as JSON')
  .action(
    lazily(
      () => import('./cli/ad-accounts-command.ts'),
      (m, id: string, options) => m.accountsTestCommand(id, options),
    ),
  );

accounts
  .command('import <id>')
  .description(
    "import the account's campaigns (Meta ad sets where the budget lives) as linked campaigns, autopilot off",
  )
  .option('--tenant <slug|id>', 'the tenant (default: the one that holds the account)')
  .option('--workspace <id>', "the workspace to import into (default: the tenant's first)")
  .option('--json', 'print the result as JSON')
  .action(
    lazily(
      () => import('./cli/ad-accounts-command.ts'),
      (m, id: string, options) => m.accountsImportCommand(id, options),
    ),
  );

accounts
  .command('sync <id>')
  .description(
    "read the account's stats now: a new connection's 90-day backfill, then the attribution window (progress on stderr)",
  )
  .option('--tenant <slug|id>', 'the tenant (default: the one that holds the account)')
  .option('--from <day>', 'read the days from this one again instead (YYYY-MM-DD, account’s time zone; ≤ 90 days)')
  .option('--to <day>', 'the last day read again (default: today; alone: the attribution window up to it)')
  .option('--json', 'print the result as JSON (no progress)')
  .action(
    lazily(
      () => import('./cli/ad-accounts-command.ts'),
      (m, id: string, options) => m.accountsSyncCommand(id, options),
    ),
  );

program
  .command('changes')
  .description('the pauses, resumes and budgets sent (or on their way) to the ad platforms, newest first')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .option('--status <status>', 'only these: queued, sending, confirmed or failed')
  .option('--limit <n>', 'at most this many (default 50, at most 200)')
  .option('--check', 'dry run: ask each platform whether it would take the queued changes (exit 1 if one would refuse)')
  .option('--json', 'print them as JSON')
  .action(
    lazily(
      () => import('./cli/changes-command.ts'),
      (m, options) => m.changesCommand(options),
    ),
  );

const senders = program
  .command('senders')
  .description('how a tenant sends e-mail (SMTP) and SMS (Twilio): list, set, send a test (docs/delivery.md)');

senders
  .command('list', { isDefault: true })
  .description('each sender: channel, address, status (the provider’s last refusal), secrets set, last test')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .option('--json', 'print the senders as JSON')
  .action(
    lazily(
      () => import('./cli/senders-command.ts'),
      (m, options) => m.sendersListCommand(options),
    ),
  );

senders
  .command('email')
  .description('set the e-mail sender: an SMTP server (secrets left out keep the stored ones)')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .requiredOption('--host <host>', 'the SMTP server')
  .option('--port <port>', 'its port (default 587)')
  .option('--security <mode>', 'starttls (default, required), tls (implicit, port 465) or none (a local relay)')
  .option('--username <name>', 'the login')
  .option('--password-file <path>', 'a file holding the password')
  .option('--password-stdin', 'read the password from stdin')
  .requiredOption('--from <address>', 'the From address')
  .option('--from-name <name>', 'the From name')
  .option('--reply-to <address>', 'where replies go')
  .option('--max-connections <n>', 'connections in the pool (default 5)')
  .option('--rate <n>', 'messages per second at most (default: unlimited)')
  .option('--dkim-domain <domain>', 'sign with DKIM for this domain')
  .option('--dkim-selector <selector>', 'the DKIM selector (its DNS record is <selector>._domainkey.<domain>)')
  .option('--dkim-key-file <path>', 'a file holding the DKIM private key (PEM)')
  .option('--no-track-opens', 'no open pixel')
  .option('--no-track-clicks', 'links as written, not through the click address')
  .option('--json', 'print the sender as JSON')
  .action(
    lazily(
      () => import('./cli/senders-command.ts'),
      (m, options) => m.sendersEmailCommand(options),
    ),
  );

senders
  .command('sms')
  .description('set the SMS sender: a Twilio account (the auth token left out keeps the stored one)')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .requiredOption('--account-sid <sid>', 'the Account SID (AC…)')
  .option('--auth-token-file <path>', 'a file holding the auth token')
  .option('--auth-token-stdin', 'read the auth token from stdin')
  .option('--from <number>', 'the number messages come from, E.164 (+14155550100)')
  .option('--messaging-service <sid>', 'a Messaging Service instead of a number (MG…)')
  .option('--max-in-flight <n>', 'requests to Twilio at once (default 4)')
  .option('--quiet-hours <start-end>', 'no SMS in these local hours of the contact (default 21-8)')
  .option('--json', 'print the sender as JSON')
  .action(
    lazily(
      () => import('./cli/senders-command.ts'),
      (m, options) => m.sendersSmsCommand(options),
    ),
  );

senders
  .command('test <channel>')
  .description('send one real test message through the email or sms sender (exit 1 if refused)')
  .requiredOption('--tenant <slug|id>', 'the tenant, by slug or id')
  .requiredOption('--to <address>', 'an e-mail address, or an E.164 number')
  .option('--json', 'print the result as JSON')
  .action(
    lazily(
      () => import('./cli/senders-command.ts'),
      (m, channel: string, options) => m.sendersTestCommand(channel, options),
    ),
  );

await program.parseAsync(process.argv);
