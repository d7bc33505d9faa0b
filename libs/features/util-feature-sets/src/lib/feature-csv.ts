/** Shortest round-trip text of a feature value (integers stay integers). */
export function formatFeatureValue(v: number): string {
  return String(v);
}

export function formatFeatureRow(id: string, values: ArrayLike<number>, width: number, offset = 0): string {
  let line = id;
  for (let i = 0; i < width; i++) line += ',' + formatFeatureValue(values[offset + i]);
  return line;
}
