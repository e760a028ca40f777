// The W4 job as a Polars for Node user writes it, step by step as the workflow does (eager), or as one
// lazy query (`lazy`) that Polars optimizes and streams as it sees fit.
// `node bench/w4/polars-w4.mjs <csv> <parquet> [eager|lazy]`
import pl from 'nodejs-polars';

const [csv, out, mode = 'eager'] = process.argv.slice(2);
const steps = (frame) =>
  frame
    .dropNulls('value')
    .filter(pl.col('value').gt(0.2))
    .withColumns(pl.col('value').mul(2).add(1).alias('value2'))
    .groupBy('group')
    .agg(pl.len().alias('count'), pl.col('value2').mean().alias('mean'))
    .sort('group');
const result = mode === 'lazy' ? steps(pl.scanCSV(csv)).collectSync() : steps(pl.readCSV(csv));
result.writeParquet(out);
