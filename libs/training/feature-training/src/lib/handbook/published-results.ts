import type { HandbookMetrics } from './handbook-benchmark';

/** The handbook's published figures (Le Borgne et al., 2022), as quoted in the project's benchmark spec. */
export const PUBLISHED_HANDBOOK_RESULTS: {
  single: Record<string, HandbookMetrics>;
  prequential: Record<string, HandbookMetrics>;
  bestAnywhere: HandbookMetrics;
} = {
  single: {
    'logistic regression': { aucRoc: 0.871, averagePrecision: 0.606, cardPrecisionAt100: 0.291 },
    'decision tree depth 2': { aucRoc: 0.763, averagePrecision: 0.496, cardPrecisionAt100: 0.241 },
    'random forest': { aucRoc: 0.867, averagePrecision: 0.658, cardPrecisionAt100: 0.287 },
    xgboost: { aucRoc: 0.862, averagePrecision: 0.639, cardPrecisionAt100: 0.273 },
  },
  prequential: {
    'logistic regression': { aucRoc: 0.868, averagePrecision: 0.623, cardPrecisionAt100: 0.297 },
    'random forest': { aucRoc: 0.87, averagePrecision: 0.678, cardPrecisionAt100: 0.299 },
    xgboost: { aucRoc: 0.869, averagePrecision: 0.687, cardPrecisionAt100: 0.303 },
  },
  bestAnywhere: { aucRoc: 0.879, averagePrecision: 0.694, cardPrecisionAt100: 0.305 },
};
