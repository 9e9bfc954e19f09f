import { ATTRIBUTES, filterError, resolveField, type FieldRef } from './filter-ast';
import { Asc, Desc, Identifier, tokenize } from './filter-parser';

/**
 * MLflow's `order_by` items for run search: `<field> [ASC|DESC]`, the field written as in
 * filters (`metrics.val_loss`, `` params.`batch size` ``, `tags.x`, `attributes.start_time`,
 * or a bare attribute such as `start_time`). Default direction ASC.
 *
 * Order (MLflow's SQL store): runs that lack the key come last in either direction; for
 * metrics a NaN latest value comes after every number and before missing ones. After the
 * given items come `start_time DESC` (unless start_time was given) and `run_id`, so pages
 * are stable.
 */
export interface OrderItem {
  field: FieldRef;
  desc: boolean;
}

/**
 * Parses one order_by string.
 * @throws LatheError INVALID_PARAMETER_VALUE naming the position, e.g. "Invalid order_by
 *   at position 18 near 'DOWN': expected ASC or DESC after the field".
 */
export function parseOrderItem(source: string): OrderItem {
  const tokens = tokenize(source, 'order_by');
  const [ident, dir, extra] = tokens;
  if (!ident) throw filterError(source, source.length, '', 'expected a field such as metrics.<key>, params.<key>, tags.<key> or attributes.<name>', 'order_by');
  if (ident.tokenType !== Identifier) {
    throw filterError(source, ident.startOffset, ident.image, 'expected a field such as metrics.<key>, params.<key>, tags.<key> or attributes.<name>', 'order_by');
  }
  if (dir && dir.tokenType !== Asc && dir.tokenType !== Desc) {
    throw filterError(source, dir.startOffset, dir.image, 'expected ASC or DESC after the field', 'order_by');
  }
  if (extra) throw filterError(source, extra.startOffset, extra.image, 'expected nothing after ASC/DESC (one field per order_by item)', 'order_by');
  return { field: resolveField(source, ident.image, ident.startOffset, 'order_by'), desc: dir?.tokenType === Desc };
}

export interface SqlOrder {
  /** LEFT JOINs the ORDER BY needs (aliases o0, o1, …). */
  joins: string;
  joinParams: string[];
  /** The ORDER BY list, tie-breakers included. */
  orderBy: string;
}

/** Compiles order items to SQL over `runs r` (keys bound as parameters; see the module comment). */
export function compileOrder(items: OrderItem[]): SqlOrder {
  const joins: string[] = [];
  const joinParams: string[] = [];
  const terms: string[] = [];
  let hasStart = false;
  items.forEach(({ field, desc }, i) => {
    const dir = desc ? 'DESC' : 'ASC';
    const o = `o${i}`;
    if (field.entity === 'attribute') {
      const col = ATTRIBUTES[field.key]!.column;
      if (col === 'start_time') hasStart = true;
      if (col === 'end_time') terms.push('(r.end_time IS NULL)');
      terms.push(`r.${col} ${dir}`);
    } else if (field.entity === 'metric') {
      joins.push(`LEFT JOIN latest_metrics ${o} ON ${o}.run = r.id AND ${o}.key_id = (SELECT id FROM metric_keys WHERE key = ?)`);
      joinParams.push(field.key);
      terms.push(`(CASE WHEN ${o}.run IS NULL THEN 2 WHEN ${o}.is_nan = 1 THEN 1 ELSE 0 END)`, `${o}.value ${dir}`);
    } else {
      const table = field.entity === 'param' ? 'params' : 'tags';
      joins.push(`LEFT JOIN ${table} ${o} ON ${o}.run = r.id AND ${o}.key = ?`);
      joinParams.push(field.key);
      terms.push(`(${o}.value IS NULL)`, `${o}.value ${dir}`);
    }
  });
  if (!hasStart) terms.push('r.start_time DESC');
  terms.push('r.run_id ASC');
  return { joins: joins.join('\n'), joinParams, orderBy: terms.join(', ') };
}
