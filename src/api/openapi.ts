// The OpenAPI 3.1 document, generated from the routes' declarations: each zod schema goes through
// zod's own JSON Schema conversion (draft 2020-12, the dialect OpenAPI 3.1 uses), requests as the
// input they accept, responses as the output they give.
import { z } from 'zod';
import { problemRecord } from '../contract/problem.ts';
import type { DeclaredRoute } from './router.ts';

type JsonSchema = Record<string, unknown>;

/**
 * Converts zod schemas for one document. A recursive schema (any JSON value) comes back with its
 * own `$defs`, which a schema nested in the document cannot resolve (`#/` is the document): they
 * move to `components.schemas` under names unique in the document, and the references follow.
 */
export class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};
  #count = 0;

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const {
      $schema: _,
      $defs,
      ...converted
    } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    if (!$defs) return converted;
    const renamed = new Map(Object.keys($defs).map((name) => [name, `Def${++this.#count}`]));
    const relink = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(relink);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) =>
          key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')
            ? [key, `#/components/schemas/${renamed.get(inner.slice('#/$defs/'.length))}`]
            : [key, relink(inner)],
        ),
      );
    };
    for (const [name, def] of Object.entries($defs)) this.components[renamed.get(name)!] = relink(def) as JsonSchema;
    return relink(converted) as JsonSchema;
  }
}

/** Path or query parameters: one entry per property of the object schema. */
function parameters(converter: SchemaConverter, schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const object = converter.convert(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

function accessText(route: DeclaredRoute): string {
  if (route.access === 'public') return 'No credentials.';
  if (route.access === 'internal') return 'Needs the `x-internal-secret` header.';
  return `Needs a bearer token or API key with the \`${route.access}\` role or above.`;
}

function operation(converter: SchemaConverter, route: DeclaredRoute) {
  const requestTypes: Record<string, { schema: object }> = {};
  if (route.body) requestTypes['application/json'] = { schema: converter.convert(route.body, 'input') };
  for (const [type, schema] of Object.entries(route.alternateBodies ?? {})) {
    requestTypes[type] = { schema: converter.convert(schema, 'input') };
  }
  const responses: Record<string, object> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema
        ? {
            content: {
              [response.mediaType ?? 'application/json']: { schema: converter.convert(response.schema, 'output') },
            },
          }
        : {}),
    };
  }
  responses.default = {
    description: 'An error, as RFC 9457 problem details naming the offending fields.',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return {
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, accessText(route)].filter(Boolean).join('\n\n'),
    operationId: `${route.method}${route.path.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(route.access === 'public'
      ? { security: [] }
      : route.access === 'internal'
        ? { security: [{ internalSecret: [] }] }
        : {}),
    parameters: [...parameters(converter, route.params, 'path'), ...parameters(converter, route.query, 'query')],
    ...(Object.keys(requestTypes).length > 0 ? { requestBody: { required: true, content: requestTypes } } : {}),
    responses,
  };
}

export function openApiDocument(routes: readonly DeclaredRoute[], version: string) {
  const converter = new SchemaConverter();
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method] = operation(converter, route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Nightshift API',
      version,
      description:
        'Runs marketing campaigns on autopilot: campaigns and their stats, rules, the action ledger, opportunities and cycles. Every 4xx answers application/problem+json.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
    components: {
      schemas: { Problem: converter.convert(problemRecord, 'output'), ...converter.components },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A JWT (HS256 or from the JWKS), or an API key nsk_…' },
        apiKey: { type: 'apiKey', in: 'header', name: 'apikey' },
        internalSecret: { type: 'apiKey', in: 'header', name: 'x-internal-secret' },
      },
    },
  };
}
