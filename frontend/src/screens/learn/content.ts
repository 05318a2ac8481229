import { CALCIUM_SITTING_RULE } from "../../scoring/targets";
/**
 * Learn: for each target, why it matters and where the number comes from, in plain words.
 * Written from ../shared/PROTOCOL.md §2 (numbers and sources) and the seed patient-education
 * text (the "why"). Fortify gives no medical advice: every target can be changed in Settings.
 */
export interface Topic {
  key: string;
  title: string;
  target: string;
  why: string;
  source: string;
}

export const TOPICS: readonly Topic[] = [
  {
    key: "calcium_mg",
    title: "Calcium",
    target: `1200 mg a day from food and supplements, no more than 2000 mg. Supplements taken at one time: ${CALCIUM_SITTING_RULE}.`,
    why: "Anastrozole lowers estrogen, and estrogen helps keep bone building in step with bone breakdown. Enough calcium gives your bones the raw material. Your body absorbs calcium best in small amounts, so spread supplements over the day.",
    source: "Patient-education text (\"Aim for 1200 mg of elemental calcium per day\", \"no more than 500-600 mg at a time\"); US National Institutes of Health: recommended amount for women 51+ and upper limit.",
  },
  {
    key: "vitamin_d_iu",
    title: "Vitamin D",
    target: "1000 IU a day, counted as a 7-day average (so a weekly dose counts); supplements no more than 4000 IU a day.",
    why: "Vitamin D lets your body absorb calcium. Many people need a supplement to reach a healthy blood level; a blood test (25-hydroxyvitamin D) shows where you are.",
    source: "Patient-education text (vitamin D3 \"1000 to 4000 IU daily\"); NIH Office of Dietary Supplements upper limit (100 mcg = 4000 IU).",
  },
  {
    key: "magnesium_mg",
    title: "Magnesium",
    target: "320 mg a day (women) or 420 mg (men); supplements no more than 350 mg a day.",
    why: "Magnesium helps turn vitamin D into its active form and is part of bone itself. Nuts, seeds, leafy greens and beans are good sources.",
    source: "US National Institutes of Health: recommended amount for ages 51+ and supplement upper limit; patient-education text.",
  },
  {
    key: "vitamin_k_mcg",
    title: "Vitamin K",
    target: "90 mcg a day (women) or 120 mcg (men), or any vitamin K2 supplement.",
    why: "Vitamin K switches on proteins that bind calcium into bone and help keep it out of arteries. If you take a blood thinner, talk to your care team before changing your vitamin K.",
    source: "NIH Office of Dietary Supplements adequate intake; patient-education text (K2 MK-7 and MK-4).",
  },
  {
    key: "epa_dha_mg",
    title: "Omega-3 from fish (EPA and DHA)",
    target: "250 mg a day as a 7-day average: about two portions of oily fish a week.",
    why: "Omega-3 fats calm inflammation and help lower triglycerides, which supports the heart while on anastrozole and may ease joint pain.",
    source: "European Food Safety Authority adequate intake for adults; patient-education text.",
  },
  {
    key: "ala_g",
    title: "Omega-3 from plants (ALA)",
    target: "1.1 g a day (women) or 1.6 g (men).",
    why: "Walnuts, flaxseed and chia give a plant form of omega-3 that supports the heart.",
    source: "US Institute of Medicine adequate intake.",
  },
  {
    key: "fiber_g",
    title: "Fibre",
    target: "21 g a day (women) or 30 g (men).",
    why: "Fibre supports healthy cholesterol and digestion.",
    source: "US Institute of Medicine adequate intake, ages 51+.",
  },
  {
    key: "soluble_fiber_servings",
    title: "Soluble-fibre foods",
    target: "2 servings a day (oats, barley, apples, beans).",
    why: "Soluble fibre binds cholesterol in the gut and helps lower LDL (\"bad\") cholesterol, which anastrozole can raise.",
    source: "Patient-education text; US FDA (3 g of oat or barley beta-glucan a day).",
  },
  {
    key: "polyphenol_servings",
    title: "Colourful, polyphenol-rich foods",
    target: "5 servings a day (fruit and vegetables, green tea, dark chocolate, olive oil).",
    why: "Polyphenols are antioxidants that protect blood vessels and may help with joint inflammation.",
    source: "Patient-education text; WHO (at least 400 g of fruit and vegetables a day = 5 × 80 g).",
  },
  {
    key: "mufa_servings",
    title: "Olive oil, avocado and other healthy-fat foods",
    target: "1 serving a day (about 1.5 tablespoons of olive oil).",
    why: "These fats support healthy cholesterol in place of saturated fat.",
    source: "Patient-education text; US FDA qualified health claim for oleic-acid-rich oils.",
  },
  {
    key: "weight_bearing_minutes",
    title: "Weight-bearing exercise",
    target: "150 minutes over 7 days (brisk walking, jogging, stairs, dancing). Vigorous minutes count double.",
    why: "When your legs, hips and spine carry your weight, bone cells get the signal to stay strong.",
    source: "Patient-education exercise table; US Physical Activity Guidelines 2018.",
  },
  {
    key: "aerobic_minutes",
    title: "Aerobic exercise",
    target: "150 minutes over 7 days.",
    why: "Regular aerobic activity protects the heart and helps keep a healthy weight.",
    source: "US Physical Activity Guidelines 2018.",
  },
  {
    key: "resistance_days",
    title: "Strength training",
    target: "2 days in 7, covering all major muscle groups (legs, hips, back, abdomen, chest, shoulders, arms).",
    why: "Muscles pulling on bone give a strong, local signal to build bone where they attach.",
    source: "Patient-education text (\"2-3 sessions per week, targeting all major muscle groups\"); CDC muscle groups.",
  },
  {
    key: "high_impact_days",
    title: "High-impact exercise",
    target: "2 days in 7, only if your doctor has cleared you (set this in your profile).",
    why: "Short bursts of jumping are a very strong signal for new bone, but they must be approached with care for your joints and fitness.",
    source: "Patient-education text (\"short bursts… 2-3 times per week\", \"with caution\").",
  },
  {
    key: "low_impact_days",
    title: "Low-impact exercise",
    target: "2 days in 7 (swimming, cycling, yoga).",
    why: "Joint pain and stiffness are common on aromatase inhibitors. Gentle movement improves circulation and flexibility without stressing the joints.",
    source: "Patient-education text (swimming, cycling, yoga for joint pain).",
  },
  {
    key: "healthy_weight",
    title: "Healthy weight and joint symptoms",
    target: "Log your weight now and then, and your joint symptoms most days.",
    why: "Extra body weight adds load on the hips and knees. Tracking pain and stiffness shows you and your care team how you are doing over time.",
    source: "Patient-education text (\"Maintaining a healthy weight is also critical\").",
  },
];

