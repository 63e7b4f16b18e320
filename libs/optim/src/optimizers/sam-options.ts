import type { OptionInfo } from '../options.js';

/** SAM's own group options (kept in the base optimizer's groups, as sam.py does). */
export const SAM_GROUP_OPTIONS: readonly OptionInfo[] = [
  {
    name: 'rho',
    kind: 'number',
    default: 0.05,
    min: 0,
    doc: 'Radius ρ of the neighbourhood: the ascent step is e(w) = ρ·g/‖g‖.',
  },
  {
    name: 'adaptive',
    kind: 'boolean',
    default: false,
    doc: 'Adaptive SAM (ASAM): scale the ascent by |w| (e(w) = ρ·w²g/‖|w|g‖).',
  },
];
