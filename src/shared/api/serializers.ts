/**
 * oRPC's RPC serializer keeps NaN but writes ±Infinity as JSON null. Metric values must
 * round-trip faithfully (MLflow semantics), so both ends of every transport register this.
 * Type ids 20+ are free (oRPC reserves its own below that).
 */
export const infinitySerializer = {
  type: 21,
  condition: (data: unknown): boolean => data === Number.POSITIVE_INFINITY || data === Number.NEGATIVE_INFINITY,
  serialize: (data: number): number => (data > 0 ? 1 : -1),
  deserialize: (serialized: unknown): number => {
    if (serialized === 1) return Number.POSITIVE_INFINITY;
    if (serialized === -1) return Number.NEGATIVE_INFINITY;
    throw new TypeError(`infinity serializer: unexpected ${JSON.stringify(serialized)}`);
  },
};

/** Pass as `customJsonSerializers` to every RPCHandler and RPCLink. */
export const customJsonSerializers = [infinitySerializer];
