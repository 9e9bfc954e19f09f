import type { Core } from '../core/create-core';
import type { Principal } from './auth';
import type { Fields } from './request-body';

/** What a JSON route handler gets: the core, the authenticated caller and the request fields. */
export interface MlflowContext {
  core: Core;
  principal: Principal;
  fields: Fields;
}

/** A JSON route: returns the response object (`{}` for an empty answer), or throws. */
export type JsonHandler = (ctx: MlflowContext) => unknown;
