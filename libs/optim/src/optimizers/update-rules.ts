/**
 * Each optimizer's update rule, in the plain notation of PyTorch's docstrings (no LaTeX), and
 * where its paper is: the one place the lab's optimizer forms and `optlab list` read it from.
 * The rules state what this library computes, step t counted from 1, g the gradient (plus
 * λθ where weight decay is L2, negated with maximize), γ the lr; the source files hold the
 * exact per-option variants.
 */
export interface UpdateRule {
  /** One line per statement, in order. */
  readonly rule: readonly string[];
  /** The paper's title and where to read it (arXiv or DOI address). */
  readonly title: string;
  readonly link: string;
}

export const UPDATE_RULES: Readonly<Record<string, UpdateRule>> = Object.freeze({
  SGD: {
    rule: [
      'g ← ∇f(θ) + λθ',
      'if μ ≠ 0: b ← μ·b + (1 − τ)·g   (b ← g at t = 1)',
      '          g ← g + μ·b if nesterov, else g ← b',
      'θ ← θ − γ·g',
      '(heavy ball: θ⁺ = θ − γ·∇f + μ·(θ − θ⁻), Polyak’s α = γ, β = μ)',
    ],
    title: 'Polyak 1964, Some methods of speeding up the convergence of iteration methods',
    link: 'https://doi.org/10.1016/0041-5553(64)90137-5',
  },
  Adagrad: {
    rule: [
      'γ̃ ← γ / (1 + (t − 1)·η_decay)',
      'g ← ∇f(θ) + λθ',
      's ← s + g²',
      'θ ← θ − γ̃·g / (√s + ε)',
    ],
    title: 'Duchi, Hazan & Singer 2011, Adaptive subgradient methods for online learning',
    link: 'https://jmlr.org/papers/v12/duchi11a.html',
  },
  RMSprop: {
    rule: [
      'g ← ∇f(θ) + λθ',
      'v ← α·v + (1 − α)·g²',
      'centered: ḡ ← α·ḡ + (1 − α)·g,  ṽ ← v − ḡ²   (else ṽ ← v)',
      'if μ > 0: b ← μ·b + g / (√ṽ + ε),  θ ← θ − γ·b',
      'else:     θ ← θ − γ·g / (√ṽ + ε)',
    ],
    title: 'Hinton, Srivastava & Swersky 2012, Neural Networks for Machine Learning, lecture 6e',
    link: 'https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf',
  },
  Adadelta: {
    rule: [
      'g ← ∇f(θ) + λθ',
      'v ← ρ·v + (1 − ρ)·g²',
      'Δ ← √(u + ε) / √(v + ε) · g',
      'u ← ρ·u + (1 − ρ)·Δ²',
      'θ ← θ − γ·Δ',
    ],
    title: 'Zeiler 2012, ADADELTA: an adaptive learning rate method',
    link: 'https://arxiv.org/abs/1212.5701',
  },
  Adam: {
    rule: [
      'g ← ∇f(θ) + λθ',
      'm ← β₁·m + (1 − β₁)·g',
      'v ← β₂·v + (1 − β₂)·g²   (amsgrad: v_max ← max(v_max, v), used for v)',
      'm̂ ← m / (1 − β₁ᵗ),  v̂ ← v / (1 − β₂ᵗ)',
      'θ ← θ − γ·m̂ / (√v̂ + ε)',
    ],
    title: 'Kingma & Ba 2015, Adam: a method for stochastic optimization',
    link: 'https://arxiv.org/abs/1412.6980',
  },
  AdamW: {
    rule: [
      'θ ← θ − γλ·θ   (decoupled weight decay)',
      'm ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²',
      'm̂ ← m / (1 − β₁ᵗ),  v̂ ← v / (1 − β₂ᵗ)',
      'θ ← θ − γ·m̂ / (√v̂ + ε)',
    ],
    title: 'Loshchilov & Hutter 2019, Decoupled weight decay regularization',
    link: 'https://arxiv.org/abs/1711.05101',
  },
  Adamax: {
    rule: [
      'g ← ∇f(θ) + λθ',
      'm ← β₁·m + (1 − β₁)·g',
      'u ← max(β₂·u, |g| + ε)',
      'θ ← θ − γ·m / ((1 − β₁ᵗ)·u)',
    ],
    title: 'Kingma & Ba 2015, Adam, section 7.1 (AdaMax)',
    link: 'https://arxiv.org/abs/1412.6980',
  },
  NAdam: {
    rule: [
      'g ← ∇f(θ) + λθ',
      'μₜ ← β₁·(1 − ½·0.96^(t·ψ)),  μₜ₊₁ likewise',
      'm ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²',
      'm̂ ← μₜ₊₁·m / (1 − Π₁..ₜ₊₁ μ) + (1 − μₜ)·g / (1 − Π₁..ₜ μ)',
      'θ ← θ − γ·m̂ / (√(v / (1 − β₂ᵗ)) + ε)',
    ],
    title: 'Dozat 2016, Incorporating Nesterov momentum into Adam',
    link: 'https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ',
  },
  RAdam: {
    rule: [
      'g ← ∇f(θ) + λθ;  m, v as Adam;  m̂ ← m / (1 − β₁ᵗ)',
      'ρ∞ ← 2/(1 − β₂) − 1,  ρₜ ← ρ∞ − 2t·β₂ᵗ / (1 − β₂ᵗ)',
      'if ρₜ > 5: r ← √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ))',
      '           θ ← θ − γ·m̂·r·√(1 − β₂ᵗ) / (√v + ε)',
      'else:      θ ← θ − γ·m̂',
    ],
    title: 'Liu et al. 2020, On the variance of the adaptive learning rate and beyond',
    link: 'https://arxiv.org/abs/1908.03265',
  },
  Lion: {
    rule: ['c ← β₁·m + (1 − β₁)·g', 'θ ← θ − γ·(sign(c) + λθ)', 'm ← β₂·m + (1 − β₂)·g'],
    title: 'Chen et al. 2023, Symbolic discovery of optimization algorithms',
    link: 'https://arxiv.org/abs/2302.06675',
  },
  ASGD: {
    rule: [
      'g ← ∇f(θ) + λ_wd·θ',
      'θ ← θ·(1 − λη) − η·g',
      'ax ← ax + μ·(θ − ax)   (ax ← θ while t ≤ t₀)',
      'η ← γ / (1 + λγt)^α,  μ ← 1 / max(1, t − t₀)',
    ],
    title: 'Polyak & Juditsky 1992, Acceleration of stochastic approximation by averaging',
    link: 'https://doi.org/10.1137/0330046',
  },
  Rprop: {
    rule: [
      'if g·g_prev > 0: η ← min(η·η₊, Γ_max)',
      'if g·g_prev < 0: η ← max(η·η₋, Γ_min),  g ← 0',
      'θ ← θ − η·sign(g),  g_prev ← g',
    ],
    title:
      'Riedmiller & Braun 1993, A direct adaptive method for faster backpropagation learning: the RPROP algorithm',
    link: 'https://doi.org/10.1109/ICNN.1993.298623',
  },
  LBFGS: {
    rule: [
      'each inner iteration (up to maxIter per step, one closure evaluation each):',
      '  d ← −H·g by the two-loop recursion over the last m pairs (s = Δθ, y = Δg), H₀ = (sᵀy / yᵀy)·I',
      '  t ← γ (the first iteration: min(1, 1/‖g‖₁)·γ), or a strong-Wolfe line search',
      '  θ ← θ + t·d',
      'stop when ‖g‖∞ ≤ toleranceGrad or the change ≤ toleranceChange',
    ],
    title: 'Liu & Nocedal 1989, On the limited memory BFGS method for large scale optimization',
    link: 'https://doi.org/10.1007/BF01589116',
  },
  Adafactor: {
    rule: [
      'ρₜ ← min(γ, 1/√t) with relative steps, β₂ₜ ← 1 − t^(decay)',
      'matrices: R ← β₂ₜ·R + (1 − β₂ₜ)·rowmean(g²),  C ← β₂ₜ·C + (1 − β₂ₜ)·colmean(g²)',
      '          v̂ ← R·Cᵀ / mean(R)   (vectors: v̂ ← β₂ₜ·v̂ + (1 − β₂ₜ)·g²)',
      'u ← g / √(v̂ + ε₁),  u ← u / max(1, RMS(u)/d)',
      'θ ← θ − γλ·θ;  θ ← θ − max(ε₂, RMS(θ))·ρₜ·u',
    ],
    title: 'Shazeer & Stern 2018, Adafactor: adaptive learning rates with sublinear memory cost',
    link: 'https://arxiv.org/abs/1804.04235',
  },
  AdafactorHF: {
    rule: [
      'β₂ₜ ← 1 − t^(decayRate);  R, C (matrices) or v (vectors) as Adafactor, from g² + ε₁',
      'u ← g / √v̂,  u ← u / max(1, RMS(u)/clipThreshold)',
      'optional first moment: m ← β₁·m + (1 − β₁)·u,  u ← m',
      'α ← relativeStep ? min(1e-6·t (warmup) or 1e-2, 1/√t) : γ;  scaleParameter: α ← α·max(ε₂, RMS(θ))',
      'θ ← θ − αλ·θ;  θ ← θ − α·u',
    ],
    title: 'Shazeer & Stern 2018, Adafactor (Hugging Face transformers semantics)',
    link: 'https://arxiv.org/abs/1804.04235',
  },
  SAM: {
    rule: [
      'g ← ∇f(θ)   (first closure evaluation)',
      'ε̂ ← ρ·g / ‖g‖   (adaptive: ε̂ ← ρ·θ²·g / ‖θ·g‖)',
      'g_SAM ← ∇f(θ + ε̂)   (second closure evaluation)',
      'θ ← base optimizer step from θ with g_SAM',
    ],
    title:
      'Foret et al. 2021, Sharpness-aware minimization for efficiently improving generalization',
    link: 'https://arxiv.org/abs/2010.01412',
  },
  Muon: {
    rule: [
      'm ← μ·m + g;  u ← g + μ·m if nesterov, else m',
      'O ← NewtonSchulz5(u): 5 iterations X ← aX + (bA + cA²)X, A = XXᵀ, from X = u/‖u‖_F',
      'θ ← θ·(1 − γλ) − γ·scale·O   (matrices only; others go to a fallback optimizer)',
    ],
    title: 'Jordan et al. 2024, Muon: an optimizer for hidden layers in neural networks',
    link: 'https://kellerjordan.github.io/posts/muon/',
  },
  AdamWScheduleFree: {
    rule: [
      'v ← β₂·v + (1 − β₂)·g²;  u ← g / (√(v / (1 − β₂ᵗ)) + ε) + λy',
      'y ← y + c·(z − y) + γ·(β₁(1 − c) − 1)·u;  z ← z − γ·u',
      'c ← weight of this step in the running average x of z (with warmup)',
      'gradients are taken at y; evaluate at x',
    ],
    title: 'Defazio et al. 2024, The road less scheduled',
    link: 'https://arxiv.org/abs/2405.15682',
  },
  SGDScheduleFree: {
    rule: [
      'g ← g + λy',
      'y ← y + c·(z − y) + γ·(β(1 − c) − 1)·g;  z ← z − γ·g',
      'gradients are taken at y; evaluate at the average x',
    ],
    title: 'Defazio et al. 2024, The road less scheduled',
    link: 'https://arxiv.org/abs/2405.15682',
  },
  Prodigy: {
    rule: [
      'g ← ∇f(θ) + λθ',
      'm ← β₁·m + d·(1 − β₁)·g,  v ← β₂·v + d²·(1 − β₂)·g²',
      'r ← β₃·r + γ̂·d²/d₀·⟨g, θ₀ − θ⟩,  s ← β₃·s + γ̂·d²/d₀·g   (β₃ = √β₂ by default)',
      'd ← max(d, min(d·growthRate, r / ‖s‖₁))',
      'θ ← θ − γ̂·d·m / (√v + d·ε),  γ̂ = γ·√(1 − β₂ᵗ) / (1 − β₁ᵗ) with bias correction',
    ],
    title: 'Mishchenko & Defazio 2024, Prodigy: an expeditiously adaptive parameter-free learner',
    link: 'https://arxiv.org/abs/2306.06101',
  },
  LAMB: {
    rule: [
      'm, v as Adam;  u ← m̂ / (√v̂ + ε) + λθ',
      'r ← ‖θ‖ / ‖u‖   (1 when either norm is 0)',
      'θ ← θ − γ·r·u',
    ],
    title:
      'You et al. 2020, Large batch optimization for deep learning: training BERT in 76 minutes',
    link: 'https://arxiv.org/abs/1904.00962',
  },
  LARS: {
    rule: [
      'd ← g + λθ',
      'r ← c·‖θ‖ / ‖d‖   (1 when either norm is 0)',
      'b ← μ·b + r·d;  θ ← θ − γ·b',
    ],
    title: 'You, Gitman & Ginsburg 2017, Large batch training of convolutional networks',
    link: 'https://arxiv.org/abs/1708.03888',
  },
  AdaBelief: {
    rule: [
      'm ← β₁·m + (1 − β₁)·g',
      's ← β₂·s + (1 − β₂)·(g − m)² + ε',
      'θ ← θ − γ·m̂ / (√ŝ + ε)   (bias-corrected as Adam)',
    ],
    title:
      'Zhuang et al. 2020, AdaBelief optimizer: adapting stepsizes by the belief in observed gradients',
    link: 'https://arxiv.org/abs/2010.07468',
  },
  Adan: {
    rule: [
      'Δ ← g − g_prev (0 at t = 1)',
      'm ← (1 − b₁)·g + b₁·m,  v ← (1 − b₂)·Δ + b₂·v',
      'n ← (1 − b₃)·(g + (1 − b₂)·Δ)² + b₃·n',
      'u ← (m̂ + (1 − b₂)·v̂) / (√n̂ + ε) + λθ;  θ ← θ − γ·u',
    ],
    title: 'Xie et al. 2022, Adan: adaptive Nesterov momentum algorithm',
    link: 'https://arxiv.org/abs/2208.06677',
  },
  AdEMAMix: {
    rule: [
      'm₁ ← β₁·m₁ + (1 − β₁)·g;  m₂ ← β₃ₜ·m₂ + (1 − β₃ₜ)·g;  v ← β₂·v + (1 − β₂)·g²',
      'αₜ, β₃ₜ warm up linearly (α) and in log-half-life (β₃) over their warmup steps',
      'θ ← θ − γ·((m₁ / (1 − β₁ᵗ) + αₜ·m₂) / (√(v / (1 − β₂ᵗ)) + ε) + λθ)',
    ],
    title: 'Pagliardini, Ablin & Grangier 2024, The AdEMAMix optimizer: better, faster, older',
    link: 'https://arxiv.org/abs/2409.03463',
  },
});

/** The update rule of an optimizer by class name (undefined for an unknown name). */
export function updateRuleOf(name: string): UpdateRule | undefined {
  return Object.hasOwn(UPDATE_RULES, name) ? UPDATE_RULES[name] : undefined;
}
