/**
 * NumPy's legacy `np.random.RandomState(seed)` for an integer seed: the MT19937 generator seeded
 * with `init_genrand`, doubles from two 32-bit draws (53 bits), `uniform` as low + (high − low)·u
 * and `normal` from the polar (Marsaglia) method with the second value kept for the next call —
 * exactly the stream DeepOBS draws its quadratic problem from (numpy/random/_mt19937.pyx,
 * numpy/random/src/legacy/legacy-distributions.c). Matsumoto & Nishimura 1998.
 *
 * Only DeepOBS's quadratic_deep needs it (its Hessian and data come from RandomState(42) and
 * (43)); OptLab's own streams use `Rng` from @optlab/tensor.
 */
export class NumpyRandomState {
  readonly #mt = new Uint32Array(624);
  #index = 624;
  #gauss: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`NumpyRandomState: seed must be an integer 0 … 2^32 − 1, got ${seed}`);
    }
    const mt = this.#mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** The next 32-bit output (genrand_int32). */
  uint32(): number {
    const mt = this.#mt;
    if (this.#index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.#index = 0;
    }
    let y = mt[this.#index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform on [0, 1) with 53 random bits (random_sample). */
  double(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `uniform(low, high)`. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.double();
  }

  /** `normal(loc, scale)` (legacy gauss: polar method, values in pairs). */
  normal(loc = 0, scale = 1): number {
    if (this.#gauss !== null) {
      const g = this.#gauss;
      this.#gauss = null;
      return loc + scale * g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.double() - 1;
      x2 = 2 * this.double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.#gauss = f * x1;
    return loc + scale * f * x2;
  }
}
