import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isStoryCoreError } from '../errors/storycore-error.js';
import { isStoryFormatError } from '../story/format/index.js';
import { ApiError } from './errors/api-error.js';

interface ErrorBody {
  code: string;
  message: string;
  fix?: string;
  field?: string;
  issues?: { path: string; message: string; hint: string; line?: number; column?: number }[];
}

/** Codes of engine errors that are about the request's content, not the server. */
const NOT_FOUND_CODES = new Set(['STORY_NOT_FOUND', 'UNKNOWN_TEMPLATE', 'UNKNOWN_SHOT']);
const CONFLICT_CODES = new Set(['RUN_IN_PROGRESS']);
const UNAVAILABLE_CODES = new Set(['NO_WORKER_CONFIGURED', 'WORKER_UNAVAILABLE', 'QUEUE_UNAVAILABLE']);

/** Maps any error to the one reply shape; unknown errors become a 500 that leaks nothing. */
export function errorReplyOf(error: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'body';
    const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
    const field = path ? `${where}.${path}` : where;
    const message = error.validation.slice(0, 5).map((v) => `${where}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}: ${v.message}`).join('; ');
    return { status: 400, body: { code: 'BAD_REQUEST', message, fix: 'correct the field named and send the request again; the OpenAPI document at /api/openapi.json has every schema', field } };
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'reply did not match its schema');
    return { status: 500, body: { code: 'INTERNAL', message: 'the server built a reply that does not match its schema', fix: 'report this bug with the request id' } };
  }
  if (error instanceof ApiError) {
    return { status: error.status, body: { code: error.code, message: error.message, ...(error.hint ? { fix: error.hint } : {}), ...(error.field ? { field: error.field } : {}) } };
  }
  if (isStoryFormatError(error)) {
    const issues = error.issues.map((i) => ({ path: i.path, message: i.message, hint: i.hint, ...(i.line ? { line: i.line } : {}), ...(i.column ? { column: i.column } : {}) }));
    const first = error.issues[0];
    return {
      status: 422,
      body: { code: error.code, message: error.message, ...(error.hint ? { fix: error.hint } : {}), field: first?.path || request.routeOptions.config.storyField || 'story.yaml', issues },
    };
  }
  const fe = error as FastifyError;
  if (typeof fe.code === 'string' && fe.code.startsWith('FST_') && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'BODY_TOO_LARGE' : fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : fe.code.startsWith('FST_ERR_CTP') ? 'BAD_BODY' : 'BAD_REQUEST';
    const fix = code === 'BODY_TOO_LARGE' ? 'send a smaller body (server.bodyLimitBytes)' : code === 'BAD_REQUEST' ? 'check the request against /api/openapi.json' : 'send a JSON body with content-type application/json';
    return { status: fe.statusCode, body: { code, message: fe.message, fix, field: 'body' } };
  }
  if (isStoryCoreError(error)) {
    const status = NOT_FOUND_CODES.has(error.code) ? 404 : CONFLICT_CODES.has(error.code) ? 409 : UNAVAILABLE_CODES.has(error.code) ? 503 : 400;
    return { status, body: { code: error.code, message: error.message, ...(error.hint ? { fix: error.hint } : {}) } };
  }
  request.log.error({ err: error }, 'unexpected error');
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error', fix: `report this bug with the request id ${request.id}` } };
}

export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = errorReplyOf(error, request);
  return reply.status(status).type('application/json').send(body);
}
