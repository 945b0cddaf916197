import type { Route } from './route';
import { openaiRoute } from './wire/openaiRoute';

/**
 * The mock server's routes: `METHOD /path`, where a `{name}` segment matches anything up to the
 * next `/` or `:` and is passed to the route in `params`.
 */
export const routes: Record<string, Route> = {
  'POST /v1/chat/completions': openaiRoute,
};
