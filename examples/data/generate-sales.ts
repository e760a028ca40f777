/**
 * Generates the example sales data set: `npx tsx examples/data/generate-sales.ts [rows] [out.csv] [seed]`
 * (defaults: 100000 rows, examples/data/out/sales.csv, seed 42). The same arguments give the same bytes.
 *
 * Columns: order_id, date, region, customer_id, product, quantity, unit_price, discount.
 * Dirty on purpose: about 3% null cells, regions with stray spaces and capitals (" north ", "North"),
 * "N/A" in unit_price, a few negative quantities, and a few rows that are mostly empty.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './mulberry32.js';

const REGIONS = ['north', 'south', 'east', 'west'];
const PRODUCTS = ['widget', 'gadget', 'gizmo', 'doohickey', 'sprocket', 'thingamajig', 'whatsit', 'contraption'];
const PRICES = [2.5, 12, 7.25, 49.99, 3.1, 19.5, 0.99, 120];
const DISCOUNTS = ['0', '0', '0', '0.05', '0.1', '0.15', ''];
const CUSTOMERS = 200;

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.floor(r * items.length)] as T;
}

function region(random: () => number): string {
  const name = pick(REGIONS, random());
  const r = random();
  if (r < 0.02) return ` ${name} `;
  if (r < 0.04) return name.charAt(0).toUpperCase() + name.slice(1);
  if (r < 0.06) return '';
  return name;
}

function date(random: () => number): string {
  const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 366) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

/** One CSV line of the data set (no line ending). */
export function salesLine(i: number, random: () => number): string {
  const productIndex = Math.floor(random() * PRODUCTS.length);
  if (random() < 0.005) return `${i + 1},,,,${PRODUCTS[productIndex]},,,`;
  const customer = random() < 0.02 ? '' : String(1 + Math.floor(random() * CUSTOMERS));
  const quantity = random() < 0.01 ? -(1 + Math.floor(random() * 3)) : 1 + Math.floor(random() * 10);
  const price = random() < 0.01 ? 'N/A' : (PRICES[productIndex] as number).toFixed(2);
  return [
    i + 1,
    date(random),
    region(random),
    customer,
    PRODUCTS[productIndex],
    quantity,
    price,
    pick(DISCOUNTS, random()),
  ].join(',');
}

/** The header line. */
export const SALES_HEADER = 'order_id,date,region,customer_id,product,quantity,unit_price,discount';

/** Writes `rows` sales rows as CSV to `path`, seeded by `seed`. */
export async function generateSales(rows: number, path: string, seed = 42): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const random = mulberry32(seed);
  const out = createWriteStream(path);
  out.write(`${SALES_HEADER}\n`);
  for (let start = 0; start < rows; start += 10_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) lines.push(salesLine(i, random));
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((done) => out.once('drain', () => done()));
  }
  await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = Number(process.argv[2] ?? 100_000);
  const path = resolve(process.argv[3] ?? 'examples/data/out/sales.csv');
  const seed = Number(process.argv[4] ?? 42);
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a whole number, got ${process.argv[2]}`);
  await generateSales(rows, path, seed);
  console.log(`wrote ${rows} rows to ${path}`);
}
