/** Plain names for score components (PROTOCOL.md §3 keys). */
export const COMPONENT_LABEL: Record<string, string> = {
  calcium_total: "Calcium",
  calcium_sittings: "Calcium supplement at one time",
  vitamin_d: "Vitamin D",
  vitamin_k: "Vitamin K",
  magnesium: "Magnesium",
  weight_bearing: "Weight-bearing exercise",
  resistance: "Strength training",
  high_impact: "High-impact exercise",
  epa_dha: "Omega-3 from fish (EPA and DHA)",
  ala: "Plant omega-3 (ALA)",
  fiber: "Fibre",
  soluble_fiber_foods: "Soluble-fibre foods",
  polyphenol_foods: "Colourful, polyphenol-rich foods",
  mufa_foods: "Olive oil and avocado",
  aerobic: "Aerobic exercise",
  low_impact: "Low-impact exercise",
  anti_inflammatory_foods: "Anti-inflammatory foods",
  symptom_check_in: "Checking in on joint symptoms",
  healthy_weight: "Healthy weight",
};

export const DOMAIN_LABEL: Record<string, string> = {
  bone: "Bone",
  heart: "Heart",
  joint: "Joint",
};
