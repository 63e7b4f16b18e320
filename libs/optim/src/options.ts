/**
 * Descriptions of optimizer and schedule options, shared by both registries. The CLI's
 * `optlab list`, the experiment spec's validation and the lab's generated forms all read them.
 */
export interface OptionInfo {
  /** camelCase PyTorch name (`weightDecay`, `TMax`, `etaMin`). */
  readonly name: string;
  /** `pair` is a two-number tuple (Adam's betas, Adafactor's eps). `numbers` is a list (MultiStepLR's milestones). */
  readonly kind: 'number' | 'integer' | 'boolean' | 'pair' | 'numbers' | 'choice';
  /** PyTorch's default; `null` where the option has none (required, or "not set"). */
  readonly default: number | boolean | string | readonly number[] | null;
  /** Inclusive bounds unless marked exclusive. */
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
  /** Allowed values of a `choice` option. */
  readonly choices?: readonly string[];
  /** Unit for display (`steps`, `epochs`, `×lr`). */
  readonly unit?: string;
  /** One line for forms and `optlab list`. */
  readonly doc: string;
}
