/**
 * Which Learn topic explains each score component, and the link to it. Kept apart from
 * content.ts (the topics' text) so Today links to Learn without carrying Learn's words in the
 * first download.
 */
/** The Learn topic that explains each score component (PROTOCOL.md §3 keys). */
export const COMPONENT_TOPIC: Record<string, string> = {
  calcium_total: "calcium_mg",
  calcium_sittings: "calcium_mg",
  vitamin_d: "vitamin_d_iu",
  vitamin_k: "vitamin_k_mcg",
  magnesium: "magnesium_mg",
  weight_bearing: "weight_bearing_minutes",
  resistance: "resistance_days",
  high_impact: "high_impact_days",
  epa_dha: "epa_dha_mg",
  ala: "ala_g",
  fiber: "fiber_g",
  soluble_fiber_foods: "soluble_fiber_servings",
  polyphenol_foods: "polyphenol_servings",
  mufa_foods: "mufa_servings",
  aerobic: "aerobic_minutes",
  low_impact: "low_impact_days",
  anti_inflammatory_foods: "polyphenol_servings",
  healthy_weight: "healthy_weight",
};

export const learnHref = (topic: string): string => `/learn#learn-${topic}`;
