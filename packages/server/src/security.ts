import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for an address only this machine reaches. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What the request checks need to know. */
export interface Guard {
  token: string | undefined;
  /** Host names `Host` may carry (without port). */
  hosts: ReadonlySet<string>;
  /** Origins besides `http(s)://<allowed host>:<port>` (exact, e.g. `http://localhost:5173`). */
  origins: ReadonlySet<string>;
  /** The port the server listens on, once it does: an origin of another port is another site. */
  port: number | undefined;
}

/** The guard of a server bound to `host`: its own names, and the extra hosts and origins allowed. */
export function guardOf(options: {
  host: string;
  token: string | undefined;
  allowedHosts?: readonly string[] | undefined;
  allowedOrigins?: readonly string[] | undefined;
}): Guard {
  const hosts = new Set([...LOOPBACK, options.host, ...(options.allowedHosts ?? [])].map(normalHost));
  return { token: options.token, hosts, origins: new Set(options.allowedOrigins ?? []), port: undefined };
}

function normalHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** The host name of a `Host` header (`a:80` → `a`, `[::1]:80` → `::1`). */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return normalHost(bracketed[1] as string);
  return normalHost(header.replace(/:\d+$/, ''));
}

/** Marks the routes of the editor's files in their `config`: they hold no data, so they need no token. */
export const EDITOR_FILE = 'stepwiseEditorFile';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** True on the routes of the editor's files (see {@link EDITOR_FILE}). */
    [EDITOR_FILE]?: boolean;
  }
}

/**
 * True when the request is for one of the editor's files: a route marked {@link EDITOR_FILE}, and a
 * path (as routed, decoded) outside `/api`, so an unknown `/api/...` address still asks for the token.
 */
function isEditorFile(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.[EDITOR_FILE] !== true) return false;
  const routed = `/${(request.params as Record<string, string> | undefined)?.['*'] ?? ''}`;
  return !API_PATH.test(routed) && !API_PATH.test(request.url);
}

const API_PATH = /^\/+api(?:[/?#]|$)/i;

/**
 * Every request's checks, before routing: a `Host` this server answers to (against DNS rebinding),
 * an `Origin` of its own (against cross-site requests from a browser), and the bearer token when
 * the server has one, compared in constant time. The editor's files (pages and scripts, no data) are
 * served without the token, so a browser can load the page that then asks for it; every `/api`
 * address requires it.
 * @throws HttpError 421 `HOST_REFUSED`, 403 `ORIGIN_REFUSED`, 401 `UNAUTHORIZED`
 */
export function checkRequest(guard: Guard, request: FastifyRequest): void {
  const host = request.headers.host;
  if (typeof host !== 'string' || !guard.hosts.has(hostName(host)))
    throw new HttpError(421, 'HOST_REFUSED', 'The Host header names a host this server does not answer to.');
  const origin = request.headers.origin;
  if (typeof origin === 'string' && !originAllowed(guard, origin))
    throw new HttpError(403, 'ORIGIN_REFUSED', 'Requests from this origin are refused (cross-site).');
  if (guard.token !== undefined && !isEditorFile(request) && !tokenMatches(guard.token, request.headers.authorization))
    throw new HttpError(401, 'UNAUTHORIZED', 'Send Authorization: Bearer <token>.', {
      headers: { 'www-authenticate': 'Bearer' },
    });
}

function originAllowed(guard: Guard, origin: string): boolean {
  if (guard.origins.has(origin)) return true;
  try {
    const url = new URL(origin);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      guard.hosts.has(hostName(url.host)) &&
      port === guard.port
    );
  } catch {
    return false;
  }
}

/** Compares the token in constant time (both sides hashed first, so their lengths are equal). */
export function tokenMatches(token: string, authorization: string | undefined): boolean {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

/** Headers on every answer: no sniffing, no framing, no caching of API answers. */
export function hardenReply(reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
}
