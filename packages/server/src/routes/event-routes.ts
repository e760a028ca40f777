import { loadRun, type RunEvent, type RunRecord } from '@stepwise/core';
import type { FastifyReply } from 'fastify';
import { type ApiRoute, route } from '../api-route.js';
import { HttpError } from '../http-error.js';
import { publicEvent } from '../public-errors.js';
import { eventKeeping } from '../run-events-store.js';
import { eventsQuery, runIdParams } from '../schemas.js';
import type { ServerState } from '../state.js';

/** A comment line this often keeps proxies and the idle timeout from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** A client this far behind (bytes not yet taken) is let go; it reconnects with Last-Event-ID. */
const MAX_BUFFERED = 1024 * 1024;

/** `GET /api/runs/:id/events`: Server-Sent Events, the event's seq as its id. */
export function eventRoutes(state: ServerState): ApiRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/runs/:id/events',
      tag: 'runs',
      summary:
        "The run's events as Server-Sent Events (text/event-stream): each `data:` is a RunEvent as JSON and its `id:` the event's seq; replays the events after Last-Event-ID (or ?after=), then live ones, progress coalesced to about 10 per second per step; the stream ends after the run's last event. 429 past the cap of streams.",
      params: runIdParams,
      query: eventsQuery,
      produces: 'text/event-stream',
      handler: async ({ params, query, request, reply }) => {
        const after = lastEventId(request.headers['last-event-id']) ?? query.after ?? 0;
        const log = state.runs.events(params.id);
        const record = log === undefined ? await loadRun(state.context.store.runs, params.id) : undefined;
        if (log === undefined && record === undefined)
          throw new HttpError(404, 'RUN_NOT_FOUND', `There is no run ${params.id}.`);
        const release = state.streams.take(request.ip);
        const stream = openStream(reply, release, state.scrub);
        if (log === undefined) {
          // a run this server process did not execute: its events from the run history when it keeps
          // them, else its end, rebuilt from its record
          const kept = eventKeeping(state.context.store.runs);
          const events = kept === undefined ? [] : await kept.readEvents(params.id, { after, limit: 10_000 });
          for (const event of events) stream.send(event);
          const last = lastEvent(record as RunRecord);
          const sent = events.at(-1)?.seq ?? after;
          if (last !== undefined && last.seq > sent) stream.send(last);
          stream.end();
          return reply;
        }
        let sent = after;
        const send = (event: RunEvent) => {
          if (event.seq <= sent) return;
          sent = event.seq;
          stream.send(event);
        };
        for (const event of log.after(after)) send(event);
        if (log.ended && state.runs.queued(params.id) === undefined) {
          stream.end();
          return reply;
        }
        const unsubscribe = log.subscribe({ event: send, end: () => stream.end() });
        stream.onClose(unsubscribe);
        return reply;
      },
    }),
  ];
}

/** The SSE `Last-Event-ID` as a seq, when it is one. */
function lastEventId(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}

interface EventStream {
  send(event: RunEvent): void;
  end(): void;
  onClose(listener: () => void): void;
}

/** Takes the response over for an event stream; everything it holds is let go when either side closes. */
function openStream(reply: FastifyReply, release: () => void, scrub: (text: string) => string): EventStream {
  reply.hijack();
  const response = reply.raw;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  response.write(': stepwise run events\n\n');
  const listeners: (() => void)[] = [];
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let closed = false;
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    release();
    for (const listener of listeners.splice(0)) listener();
  };
  response.on('close', cleanup);
  return {
    send(event) {
      if (closed) return;
      response.write(`id: ${event.seq}\ndata: ${JSON.stringify(publicEvent(event, scrub))}\n\n`);
      if (response.writableLength > MAX_BUFFERED) response.destroy();
    },
    end() {
      if (closed) return;
      cleanup();
      response.end();
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}

/** The last event of a finished run, rebuilt from its record; none for a run that has not ended. */
function lastEvent(record: RunRecord): RunEvent | undefined {
  const base = { runId: record.id, seq: record.seq, ts: record.endedAt ?? record.startedAt };
  const durationMs = (record.endedAt ?? record.startedAt) - record.startedAt;
  if (record.status === 'completed') return { ...base, type: 'run.completed', durationMs, outputs: record.outputs };
  if (record.status === 'cancelled') return { ...base, type: 'run.cancelled', durationMs };
  if (record.status === 'failed')
    return {
      ...base,
      type: 'run.failed',
      durationMs,
      failedSteps: record.steps.filter((step) => step.status === 'failed').map((step) => step.id),
    };
  return undefined;
}
