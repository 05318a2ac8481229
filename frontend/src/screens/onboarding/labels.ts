/** Plain names for the protocol's target keys (PROTOCOL.md §2). */
export const TARGET_LABEL: Record<string, string> = {
  calcium_mg: "Calcium",
  vitamin_d_iu: "Vitamin D, 7-day average",
  magnesium_mg: "Magnesium",
  vitamin_k_mcg: "Vitamin K",
  epa_dha_mg: "Omega-3 from fish (EPA and DHA), 7-day average",
  ala_g: "Omega-3 ALA",
  fiber_g: "Fibre",
  soluble_fiber_servings: "Soluble-fibre foods",
  polyphenol_servings: "Colourful, polyphenol-rich foods",
  mufa_servings: "Olive oil, avocado and other healthy-fat foods",
  weight_bearing_minutes: "Weight-bearing exercise over 7 days",
  aerobic_minutes: "Aerobic exercise over 7 days",
  resistance_days: "Strength training days over 7 days",
  high_impact_days: "High-impact days over 7 days",
  low_impact_days: "Low-impact days over 7 days",
};

export const UNIT_LABEL: Record<string, string> = {
  mg: "mg",
  IU: "IU",
  mcg: "mcg",
  g: "g",
  servings: "servings",
  minutes: "minutes",
  min: "minutes",
  days: "days",
};
