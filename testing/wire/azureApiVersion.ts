import type { JsonResult } from '../route';
import { azureRefusal } from './azureFaults';

/** The form of a dated Azure API version: `2024-10-21`, `2025-04-01-preview`. */
const DATED_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/**
 * Azure's refusal of a dated-form request's `api-version` query parameter, `undefined` when it has
 * the form of one: without it, Azure's routing finds nothing, 404 `{ error: { code: '404', message:
 * 'Resource not found' } }`; with one that is not a version, 400 `{ error: { code: 'BadRequest',
 * message: 'API version not supported' } }`. The mock takes any well-formed date; Azure also refuses
 * a version it does not have, with the same 400.
 *
 * @example
 * apiVersionRefusal(new URLSearchParams('api-version=latest')); // { status: 400, json: { error: { code: 'BadRequest', … } } }
 */
export function apiVersionRefusal(query: URLSearchParams): JsonResult | undefined {
  const version = query.get('api-version');
  if (version === null || version === '') return azureRefusal(404, { code: '404', message: 'Resource not found' });
  if (!DATED_VERSION.test(version)) return azureRefusal(400, { code: 'BadRequest', message: 'API version not supported' });
  return undefined;
}
