/** The exit codes, as `run --help` and `resume --help` list them. */
const EXIT_CODES = `
Exit codes:
  0    the run completed (or, with --dry-run, the plan was printed)
  1    the run failed (the failing step or the record that could not be saved, and the resume command, are printed)
  2    bad usage, an invalid document or config, a missing file: nothing was run
  129  hung up (SIGHUP): the run was cancelled; completed outputs are kept
  130  interrupted (Ctrl-C): the run was cancelled; completed outputs are kept
  143  terminated (SIGTERM): the run was cancelled; completed outputs are kept`;

/** Text printed after each command's options in `--help`: examples, and for run commands the exit codes. */
export const HELP_AFTER = {
  program: `
Examples:
  $ npx stepwise init my-project
  $ npx stepwise run workflows/orders.json
  $ npx stepwise runs
  $ npx stepwise show <run-id>
  $ npx stepwise validate workflows/orders.json`,
  init: `
Examples:
  $ npx stepwise init my-project     # a new folder
  $ npx stepwise init                # this folder, when it is empty
  $ npx stepwise init . --force      # this folder, even if it is not empty`,
  run: `
Examples:
  $ npx stepwise run workflows/orders.json
  $ npx stepwise run workflows/orders.json --set total.taxRate=0.1 --set load.path=other.csv
  $ npx stepwise run workflows/orders.json -o table=out/table.csv -o clean=out/clean.csv
  $ npx stepwise run workflows/orders.json --from total        # reuse the steps before it
  $ npx stepwise run workflows/orders.json --only by_region
  $ npx stepwise run sales.json --input sales=data/sales.csv --store memory
  $ npx stepwise run workflows/orders.json --dry-run     # what would come from the cache, what would run, and why
${EXIT_CODES}`,
  resume: `
Each step whose type, config, inputs and files are unchanged keeps its output; a changed step runs
again with every step after it. Give the workflow file to continue with your edits to it.

Examples:
  $ npx stepwise resume run_mwwrbccz3LRji7mD
  $ npx stepwise resume run_mwwrbccz3LRji7mD workflows/orders.json --dry-run
  $ npx stepwise resume run_mwwrbccz3LRji7mD workflows/orders.json --store /tmp/store -o table=table.parquet
${EXIT_CODES}`,
  runs: `
A run whose process stopped (killed, out of memory, the machine lost) is shown interrupted.

Examples:
  $ npx stepwise runs
  $ npx stepwise runs --workflow orders --status failed,interrupted
  $ npx stepwise runs --limit 100 --json`,
  show: `
Examples:
  $ npx stepwise show run_mwwrbccz3LRji7mD
  $ npx stepwise show run_mwwrbccz3LRji7mD by_region            # that step's output
  $ npx stepwise show run_mwwrbccz3LRji7mD --json`,
  preview: `
Examples:
  $ npx stepwise preview run_mwwrbccz3LRji7mD by_region
  $ npx stepwise preview run_mwwrbccz3LRji7mD total --rows 50
  $ npx stepwise preview ref_SAZaDcrnyJ0na --csv out/table.csv`,
  prune: `
Examples:
  $ npx stepwise prune                 # apply the config's retention (default: 100 runs, 30 days, 10 GiB)
  $ npx stepwise prune --keep 3 --dry-run`,
  validate: `
Examples:
  $ npx stepwise validate workflows/orders.json
  $ npx stepwise validate workflows/orders.json --json

Exit codes: 0 valid, 2 invalid (every issue is printed with its path).`,
  steps: `
Examples:
  $ npx stepwise steps
  $ npx stepwise steps --json`,
  serve: `
Examples:
  $ npx stepwise serve                                  # http://127.0.0.1:3000, this machine only
  $ npx stepwise serve --port 8080
  $ npx stepwise serve --host 0.0.0.0 --token-file .stepwise/token
  $ curl http://127.0.0.1:3000/api/catalog

Every endpoint, with examples: docs/server.md.`,
  worker: `
Redis and the shared store come from the config's queue section (or REDIS_URL). On Ctrl-C or SIGTERM the
worker stops taking jobs, lets running ones finish for queue.shutdownGraceMs (10 s), hands the rest back
to the queue, and exits 0.

Examples:
  $ npx stepwise worker
  $ npx stepwise worker --concurrency 4
  $ REDIS_URL=redis://10.0.0.5:6379 npx stepwise worker --config /srv/project/stepwise.config.ts`,
  schema: `
Examples:
  $ npx stepwise schema > workflow.schema.json`,
} as const;
