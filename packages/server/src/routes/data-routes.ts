import { materializeValue } from '@stepwise/core';
import { LazyFrame } from '@stepwise/dataframe';
import { z } from 'zod';
import { type ApiRoute, route } from '../api-route.js';
import { download, pageOf, windowPage } from '../data-pages.js';
import { HttpError } from '../http-error.js';
import { downloadQuery, refParams, rowsQuery } from '../schemas.js';
import type { ServerState } from '../state.js';

/** A ref's info, a page of its rows, and a download. */
export function dataRoutes(state: ServerState): ApiRoute[] {
  const { context, lazyRows, lazyPages } = state;
  const held = async (ref: string) => {
    if (!(await context.has(ref))) throw new HttpError(404, 'REF_NOT_FOUND', `There is no value ${ref} in the store.`);
    const info = await context.info(ref);
    const learnt = info.rows === undefined ? lazyRows.get(ref) : undefined;
    return learnt === undefined ? info : { ...info, rows: learnt };
  };
  // the whole value: a lazy one's query result (kept, or run now, and counted)
  const wholeValue = async (ref: string, info: { type: string; rows?: number }): Promise<unknown> => {
    const stored = await context.get(ref);
    if (!(stored instanceof LazyFrame)) return materializeValue(context.registry, info.type, stored);
    const table = await lazyPages.whole(stored);
    if (info.rows === undefined) await lazyRows.learn(ref, table.numRows());
    return table;
  };
  return [
    route({
      method: 'GET',
      url: '/api/data/:ref',
      tag: 'data',
      summary:
        "A value's info: its data type, rows and bytes when known (a pushed-down step's lazy output: once its query has run, for a later step, a page or a download), the run and step that made it.",
      params: refParams,
      response: z.object({ ref: z.string(), type: z.string(), createdAt: z.string() }).loose(),
      handler: async ({ params }) => held(params.ref),
    }),
    route({
      method: 'GET',
      url: '/api/data/:ref/rows',
      tag: 'data',
      summary:
        'A page of a value: rows offset to offset+limit (limit ≤ 1000, and at most 1 MiB of JSON), values made JSON-safe, with the column names and types and the total; a value that is not a table comes as `json`.',
      params: refParams,
      query: rowsQuery,
      response: z
        .object({
          columns: z.array(z.object({ name: z.string(), type: z.string() })),
          rows: z.array(z.array(z.unknown())),
          offset: z.number(),
          total: z.number().optional(),
          truncated: z.boolean().optional(),
          json: z.unknown().optional(),
        })
        .loose(),
      handler: async ({ params, query }) => {
        const info = await held(params.ref);
        const stored = await context.get(params.ref);
        if (stored instanceof LazyFrame) {
          // a pushed-down step's output: its query's result, run now or kept from an earlier page
          const window = await lazyPages.rows(stored, query.offset, query.limit);
          // counted now (a kept result may be another run's): the run's view shows the count from here on
          if (info.rows === undefined) await lazyRows.learn(params.ref, window.total);
          return windowPage(window, query.offset, query.limit);
        }
        const value = await materializeValue(context.registry, info.type, stored);
        return pageOf(value, info.type, query.offset, query.limit);
      },
    }),
    route({
      method: 'GET',
      url: '/api/data/:ref/download',
      tag: 'data',
      summary: 'The whole value as a file: format=csv, json, parquet or arrow (a table); any other value as json.',
      params: refParams,
      query: downloadQuery,
      produces: 'application/octet-stream',
      handler: async ({ params, query, reply }) => {
        const info = await held(params.ref);
        const value = await wholeValue(params.ref, info);
        const file = await download(value, info.type, query.format);
        reply.header('content-type', file.mediaType);
        reply.header('content-disposition', `attachment; filename="${params.ref}.${query.format}"`);
        return typeof file.body === 'string' ? file.body : Buffer.from(file.body);
      },
    }),
  ];
}
