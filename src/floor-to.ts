// The start of the `size`-long bucket (an hour, a day, in milliseconds since the epoch) that holds `at`.
export function floorTo(at: number, size: number): number {
  return Math.floor(at / size) * size;
}
