// One place where a route is declared: method, path, who may call it, and the zod schemas of its
// path, query and body. The router validates each request against those schemas before the
// handler runs, hands the handler a database confined to the caller's tenant, and keeps the
// declarations so the OpenAPI document is generated from the very schemas that validate.
//
// Bodies are read as JSON whatever the Content-Type says: a client that leaves the header out
// is validated all the same (the bypass @hono/zod-openapi has, honojs/middleware#891).
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import type { Role } from '../contract/role-vocabulary.ts';
import type { Database } from '../db/port.ts';
import { type AuthDeps, type AuthEnv, authenticate, type Principal, requireRole } from '../server/authenticate.ts';
import { requireInternalSecret } from '../server/internal-secret-guard.ts';
import { ProblemError } from '../server/problem.ts';
import { parseJsonText, queryObject, validate } from './validate.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call: anyone, the cron caller holding the internal secret, or a tenant role and above. */
export type Access = 'public' | 'internal' | Role;

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** A media type other than application/json (e.g. text/csv). */
  mediaType?: string;
}

export interface RouteSpec<P extends Schema, Q extends Schema, B extends Schema> {
  method: Method;
  /** OpenAPI style: `/api/campaigns/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * A hand-written acceptor for a hot route's body: what it returns must be what `body` would
   * return; undefined leaves the request to `body`, which names the errors.
   */
  fastBody?: (value: unknown) => Out<B> | undefined;
  /** Other request media types the handler reads itself (e.g. text/csv), with their schema. */
  alternateBodies?: Record<string, z.ZodType>;
  responses: Record<number, ResponseSpec>;
}

export interface RouteInput<P extends Schema, Q extends Schema, B extends Schema> {
  c: Context<AuthEnv>;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

export interface TenantRouteInput<P extends Schema, Q extends Schema, B extends Schema> extends RouteInput<P, Q, B> {
  principal: Principal;
  /** The database seen through the caller's tenant (row-level security applies). */
  db: Database;
}

export type DeclaredRoute = RouteSpec<Schema, Schema, Schema>;

export interface RouterDeps extends AuthDeps {
  internalSecret: string;
  /** The database seen through one tenant (src/db/tenant-scope.ts), for that tenant's callers. */
  tenantDatabase: (tenantId: string) => Database;
}

const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export class ApiRouter {
  readonly routes: DeclaredRoute[] = [];
  readonly #app: Hono<AuthEnv>;
  readonly #deps: RouterDeps;

  constructor(app: Hono<AuthEnv>, deps: RouterDeps) {
    this.#app = app;
    this.#deps = deps;
  }

  /** A route for a caller of a tenant (any Role in `access`). */
  tenant<P extends Schema, Q extends Schema, B extends Schema>(
    spec: RouteSpec<P, Q, B> & { access: Role },
    handler: (input: TenantRouteInput<P, Q, B>) => Response | Promise<Response>,
  ): void {
    this.#register(spec, (input) => {
      const principal = input.c.get('principal');
      return handler({ ...input, principal, db: this.#deps.tenantDatabase(principal.tenantId) });
    });
  }

  /** A route without a tenant caller: public, or internal (checked against the internal secret). */
  system<P extends Schema, Q extends Schema, B extends Schema>(
    spec: RouteSpec<P, Q, B> & { access: 'public' | 'internal' },
    handler: (input: RouteInput<P, Q, B>) => Response | Promise<Response>,
  ): void {
    this.#register(spec, handler);
  }

  #register<P extends Schema, Q extends Schema, B extends Schema>(
    spec: RouteSpec<P, Q, B>,
    handler: (input: RouteInput<P, Q, B>) => Response | Promise<Response>,
  ): void {
    this.routes.push(spec as DeclaredRoute);
    const guards = this.#guards(spec.access);
    this.#app.on(spec.method.toUpperCase(), [honoPath(spec.path)], ...guards, async (c: Context<AuthEnv>) => {
      const params = (spec.params ? validate(spec.params, c.req.param(), 'path') : undefined) as Out<P>;
      const query = (spec.query ? validate(spec.query, queryObject(c.req.url), 'query') : undefined) as Out<Q>;
      const body = await this.#body(c, spec);
      return handler({ c, params, query, body });
    });
  }

  async #body<B extends Schema>(c: Context<AuthEnv>, spec: RouteSpec<Schema, Schema, B>): Promise<Out<B>> {
    const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    // A route reading another media type (CSV) parses it in its handler.
    if (mediaType && spec.alternateBodies && mediaType in spec.alternateBodies) return undefined as Out<B>;
    const value = parseJsonText(await c.req.text());
    if (!spec.body) {
      if (value !== undefined)
        throw new ProblemError(422, 'this operation takes no body', {
          errors: [{ field: 'body', in: 'body', message: 'expected no body' }],
        });
      return undefined as Out<B>;
    }
    return spec.fastBody?.(value) ?? (validate(spec.body, value, 'body') as Out<B>);
  }

  #guards(access: Access) {
    if (access === 'public') return [];
    if (access === 'internal') return [requireInternalSecret(this.#deps.internalSecret, this.#deps.throttle)];
    return [authenticate(this.#deps), requireRole(access)];
  }
}
