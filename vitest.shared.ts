/**
 * Settings every project's vitest config starts from: workspace packages resolve to their
 * TypeScript sources (the `@optlab/source` export condition), so tests never need a build first.
 */
export const sourceConditions = ['@optlab/source'];

export const sharedTestConfig = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
};
