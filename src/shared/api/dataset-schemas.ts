import { z } from 'zod';
import type { ValidationRule } from './dataset-types';

const column = z.string().min(1).max(1000);
const inferredType = z.enum(['integer', 'float', 'decimal', 'boolean', 'string', 'timestamp', 'timestamp_tz', 'date', 'list', 'struct', 'mixed', 'empty']);
const bound = z.union([z.number(), z.string().max(100)]);

/** One validation rule (see ValidationRule); JSON as stored with a dataset and as `--rules FILE` holds it. */
export const validationRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('column_exists'), column, type: inferredType.optional() }),
  z.object({ kind: z.literal('not_null'), column }),
  z.object({ kind: z.literal('range'), column, min: bound.optional(), max: bound.optional() }).refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min or max'),
  z.object({ kind: z.literal('allowed_values'), column, values: z.array(z.union([z.string().max(1000), z.number(), z.boolean()])).min(1).max(10_000) }),
  z.object({ kind: z.literal('regex'), column, pattern: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal('unique'), column }),
  z.object({ kind: z.literal('row_count'), min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).refine((r) => r.min !== undefined || r.max !== undefined, 'a row count needs min or max'),
]) satisfies z.ZodType<ValidationRule>;

export const validationRulesSchema = z.array(validationRuleSchema).max(1000);

/** `NAME` or `NAME@DIGEST_PREFIX`. */
export const datasetRefSchema = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(@(sha256:)?[0-9a-fA-F]{1,64})?$/, 'NAME or NAME@VERSION (a digest prefix)');
