/**
 * Errors become JSON once, here: `{"error":{"code","message"}}` with a stable code and the
 * matching status. Validation and parsing failures from Fastify say what is wrong; anything
 * unexpected is logged with its stack and answered as `internal` without one.
 */
import type { CordonErrorCode } from '@cordon/core';
import { isCordonError } from '@cordon/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type ApiErrorCode = CordonErrorCode | 'unsupported_media_type' | 'method_not_allowed';

const statusOf: { readonly [C in ApiErrorCode]: number } = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  guard_failed: 422,
  rate_limited: 429,
  internal: 500,
  integrity_failure: 500,
  unavailable: 503,
};

export function sendError(
  reply: FastifyReply,
  code: ApiErrorCode,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): FastifyReply {
  return reply
    .status(statusOf[code])
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, ...(details ? { details } : {}) } });
}

function fromFastify(error: FastifyError): { code: ApiErrorCode; message: string } | undefined {
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    const first = error.validation[0];
    const path = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
    let message = first?.message ?? 'is invalid';
    if (first?.keyword === 'additionalProperties') {
      message = `has an unknown field '${String((first.params as { additionalProperty?: string }).additionalProperty)}'`;
    } else if (
      first?.keyword === 'enum' ||
      (first?.keyword === 'anyOf' && first.schemaPath.includes('anyOf'))
    ) {
      message = 'is not one of the allowed values';
    }
    return { code: 'invalid_input', message: `${where}${path ? `.${path}` : ''} ${message}` };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', message: 'request body is larger than the limit' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        code: 'unsupported_media_type',
        message: `content type not accepted here: ${error.message}`,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'invalid_input', message: 'the JSON body is empty' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'invalid_input', message: error.message };
    default:
      break;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return { code: 'invalid_input', message: `malformed JSON body: ${error.message}` };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      code:
        error.statusCode === 413
          ? 'payload_too_large'
          : error.statusCode === 415
            ? 'unsupported_media_type'
            : 'invalid_input',
      message: error.message,
    };
  }
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isCordonError(error)) {
      const level = error.kind === 'bug' ? 'error' : error.kind === 'operational' ? 'warn' : 'info';
      request.log[level](
        { code: error.code, err: error.kind === 'user' ? undefined : error },
        error.message,
      );
      if (error.code === 'rate_limited' && typeof error.details?.['retryAfterMs'] === 'number') {
        void reply.header('retry-after', Math.ceil(error.details['retryAfterMs'] / 1000));
      }
      return sendError(reply, error.code, error.message, error.details);
    }
    const known = fromFastify(error);
    if (known) {
      request.log.info({ code: known.code }, known.message);
      return sendError(reply, known.code, known.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'internal', 'internal error; it has been logged');
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`),
  );
}
