/**
 * Inter-annotator agreement, as pure functions.
 *
 * krippendorffAlpha: rows are coders, columns are units, null is a missing value. Any number of
 * coders per unit; units with fewer than two values carry no information and are left out.
 * α = 1 − D_o / D_e over the coincidence matrix (Krippendorff, "Computing Krippendorff's
 * Alpha-Reliability", 2011). Null when undefined: no pairable values, or no variation at all.
 */
export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export function krippendorffAlpha(data: (number | null)[][], level: MeasurementLevel): number | null {
  const units = Math.max(0, ...data.map((row) => row.length));
  const values = new Map<number, number>(); // value → index
  const coincidences = new Map<string, number>();
  const add = (a: number, b: number, weight: number) => {
    const key = `${a}\u0000${b}`;
    coincidences.set(key, (coincidences.get(key) ?? 0) + weight);
  };
  for (let u = 0; u < units; u++) {
    const unit = data.map((row) => row[u]).filter((v): v is number => v !== null && v !== undefined);
    if (unit.length < 2) continue;
    for (const v of unit) if (!values.has(v)) values.set(v, values.size);
    const weight = 1 / (unit.length - 1);
    for (let i = 0; i < unit.length; i++) for (let j = 0; j < unit.length; j++) if (i !== j) add(unit[i]!, unit[j]!, weight);
  }
  const sorted = [...values.keys()].sort((a, b) => a - b);
  const marginal = new Map<number, number>(sorted.map((v) => [v, 0]));
  for (const [key, count] of coincidences) {
    const a = Number(key.split('\u0000')[0]);
    marginal.set(a, marginal.get(a)! + count);
  }
  const n = [...marginal.values()].reduce((sum, x) => sum + x, 0);
  if (n <= 1) return null;

  const delta = distance(level, sorted, marginal);
  let observed = 0;
  for (const [key, count] of coincidences) {
    const [a, b] = key.split('\u0000').map(Number) as [number, number];
    observed += count * delta(a, b);
  }
  let expected = 0;
  for (const a of sorted) for (const b of sorted) expected += marginal.get(a)! * marginal.get(b)! * delta(a, b);
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

function distance(level: MeasurementLevel, sorted: number[], marginal: Map<number, number>): (a: number, b: number) => number {
  switch (level) {
    case 'nominal':
      return (a, b) => (a === b ? 0 : 1);
    case 'interval':
      return (a, b) => (a - b) ** 2;
    case 'ratio':
      return (a, b) => (a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2);
    case 'ordinal': {
      // The squared number of values lying between a and b, counting half of each end.
      const cumulative = new Map<number, number>();
      let running = 0;
      for (const v of sorted) {
        cumulative.set(v, running);
        running += marginal.get(v)!;
      }
      return (a, b) => {
        if (a === b) return 0;
        const [low, high] = a < b ? [a, b] : [b, a];
        const between = cumulative.get(high)! + marginal.get(high)! - cumulative.get(low)!;
        return (between - (marginal.get(low)! + marginal.get(high)!) / 2) ** 2;
      };
    }
  }
}

/**
 * Kendall's tau-b between two orderings of the same items (a[i], b[i] are item i's positions;
 * equal positions are ties, e.g. candidates in one tier). Null when undefined: fewer than two
 * items, or one side has everything tied.
 */
export function kendallTauB(a: number[], b: number[]): number | null {
  if (a.length !== b.length) throw new Error(`kendallTauB: ${a.length} and ${b.length} items; the orderings must rank the same items`);
  let concordant = 0;
  let discordant = 0;
  let tiesA = 0;
  let tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      if (da === 0) tiesA += 1;
      if (db === 0) tiesB += 1;
      if (da !== 0 && db !== 0) {
        if (da === db) concordant += 1;
        else discordant += 1;
      }
    }
  }
  const pairs = (a.length * (a.length - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiesA) * (pairs - tiesB));
  return denominator === 0 ? null : (concordant - discordant) / denominator;
}

/** Share of candidate pairs two labelers order the same way (ties on either side are left out). */
export function pairwiseAgreement(a: number[], b: number[]): number | null {
  if (a.length !== b.length) throw new Error('pairwiseAgreement: the orderings must rank the same items');
  let same = 0;
  let compared = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      if (da === 0 || db === 0) continue;
      compared += 1;
      if (da === db) same += 1;
    }
  }
  return compared === 0 ? null : same / compared;
}
