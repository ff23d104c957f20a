import { EngramError } from "../errors/engram-error.js";

/**
 * A vector the caller made, as a unit Float32Array, checked against the dimensions the store
 * (or the batch) holds: another length is a `DIMENSION_MISMATCH`, a zero vector is refused.
 */
export function callerVector(
  vector: readonly number[],
  dimensions: number | undefined,
  label: string,
): Float32Array {
  if (dimensions !== undefined && vector.length !== dimensions) {
    throw new EngramError(
      "DIMENSION_MISMATCH",
      `${label} has ${vector.length} dimensions; the store holds ${dimensions}.`,
      { details: { expected: dimensions, actual: vector.length } },
    );
  }
  const out = Float32Array.from(vector);
  let norm = 0;
  for (const value of out) norm += value * value;
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new EngramError("INVALID_ARGUMENT", `${label} is a zero vector.`, {
      details: { issues: [{ path: ["vector"], message: "a zero vector has no direction" }] },
    });
  }
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}
