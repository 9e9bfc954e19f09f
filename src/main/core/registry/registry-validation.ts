import { LatheError } from '../../../shared/errors';
import { validateKey } from '../tracking/validation';
import { MODEL_STAGES, REGISTRY_LIMITS, type ModelStage } from './registry-types';

/**
 * The registry's input rules, as MLflow's server enforces them (mlflow/utils/validation.py,
 * mlflow/server/handlers.py; recorded behaviour in ../shared/notes/mlflow-rest.md §3.7, §6).
 * Every check throws LatheError INVALID_PARAMETER_VALUE (HTTP 400).
 */

function invalid(message: string, field: string): LatheError {
  return new LatheError('INVALID_PARAMETER_VALUE', message, { field });
}

/** A registered model name: required, at most 256 characters. */
export function validateModelName(name: string | undefined, field = 'name'): string {
  if (name === undefined || name === '') throw invalid(`Missing value for required parameter '${field}'.`, field);
  if (name.length > REGISTRY_LIMITS.nameLength) throw invalid(`Registered model name is ${name.length} characters; the limit is ${REGISTRY_LIMITS.nameLength}`, field);
  return name;
}

/** A version number as sent (`"3"` or `3`): a positive integer. */
export function parseVersion(version: string | number | undefined): number {
  if (version === undefined || version === '') throw invalid("Missing value for required parameter 'version'.", 'version');
  const n = typeof version === 'number' ? version : /^\s*\d+\s*$/.test(version) ? Number(version) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(`Parameter 'version' must be an integer, got '${version}'.`, 'version');
  return n;
}

/**
 * A registry tag (registered model or version): key follows the run tag key rules, value at
 * most 100 000 characters (refused, not truncated).
 */
export function validateRegistryTag(key: string | undefined, value: string | undefined): { key: string; value: string } {
  if (key === undefined || key === '') throw invalid("Missing value for required parameter 'key'.", 'key');
  validateKey('tag', key);
  const v = value ?? '';
  if (v.length > REGISTRY_LIMITS.tagValueLength) throw invalid(`Tag value is ${v.length} characters; the limit is ${REGISTRY_LIMITS.tagValueLength}`, 'value');
  return { key, value: v };
}

/**
 * An alias name: letters, digits, `_` and `-`, at most 255 characters; `latest` (any case) and
 * version-like names (`v1`, `V2`) are reserved.
 */
export function validateAlias(alias: string | undefined): string {
  if (alias === undefined || alias === '') throw invalid('Registered model alias name cannot be empty.', 'alias');
  if (!/^[\w-]*$/.test(alias)) throw invalid(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`, 'alias');
  if (alias.length > REGISTRY_LIMITS.aliasLength) throw invalid(`Registered model alias name '${alias.slice(0, 40)}…' exceeds the maximum length of ${REGISTRY_LIMITS.aliasLength} characters`, 'alias');
  if (alias.toLowerCase() === 'latest') throw invalid("'latest' alias name (case insensitive) is reserved.", 'alias');
  if (/^[vV]\d+$/.test(alias)) throw invalid(`Version alias name '${alias}' is reserved.`, 'alias');
  return alias;
}

/** A stage name in any case → its canonical form. */
export function canonicalStage(stage: string | undefined): ModelStage {
  const found = MODEL_STAGES.find((s) => s.toLowerCase() === (stage ?? '').trim().toLowerCase());
  if (!found) throw invalid(`Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(', ')}.`, 'stage');
  return found;
}

/**
 * A model version `source`. Local paths (no URI scheme, a drive letter, or `file:`) are refused:
 * the real server only accepts one inside the run's local artifact folder, and Lathe's runs have
 * none (their artifacts are served as `mlflow-artifacts:`). URIs must not contain `..`
 * segments (also percent-encoded).
 */
export function validateSource(source: string | undefined): string {
  if (source === undefined || source === '') throw invalid("Missing value for required parameter 'source'.", 'source');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(source)?.[1];
  if (!scheme || scheme.length === 1 || scheme.toLowerCase() === 'file') {
    throw invalid(
      `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
      'source',
    );
  }
  let decoded = source;
  try {
    decoded = decodeURIComponent(source);
  } catch {
    // keep it as sent
  }
  if (decoded.replace(/\\/g, '/').split(/[/?#]/).includes('..')) {
    throw invalid(
      `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
      'source',
    );
  }
  return source;
}
