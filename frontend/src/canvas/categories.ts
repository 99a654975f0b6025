/** How each node category looks: its colour and its name in the palette. */
export interface CategoryLook {
  label: string;
  color: string;
}

const LOOKS: Record<string, CategoryLook> = {
  trigger: { label: "Triggers", color: "#7c3aed" },
  logic: { label: "Logic", color: "#0ea5e9" },
  data: { label: "Data", color: "#14b8a6" },
  action: { label: "Actions", color: "#ea580c" },
  ai: { label: "AI", color: "#db2777" },
  integration: { label: "Integrations", color: "#65a30d" },
};

export const CATEGORY_ORDER = ["trigger", "logic", "data", "action", "ai", "integration"];

export function categoryLook(category: string): CategoryLook {
  return LOOKS[category] ?? { label: category.charAt(0).toUpperCase() + category.slice(1), color: "#64748b" };
}

