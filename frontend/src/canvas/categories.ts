/** How each node category looks: a colour strip and an icon. */
export interface CategoryLook {
  label: string;
  color: string;
  icon: string;
}

const LOOKS: Record<string, CategoryLook> = {
  trigger: { label: "Triggers", color: "#7c3aed", icon: "⚡" },
  logic: { label: "Logic", color: "#0ea5e9", icon: "🔀" },
  data: { label: "Data", color: "#14b8a6", icon: "🧮" },
  action: { label: "Actions", color: "#f97316", icon: "🚀" },
  ai: { label: "AI", color: "#db2777", icon: "✨" },
  integration: { label: "Integrations", color: "#65a30d", icon: "🔌" },
};

const TYPE_ICONS: Record<string, string> = {
  "trigger.webhook": "🪝",
  "trigger.schedule": "⏰",
  "trigger.manual": "▶️",
  "trigger.form": "📝",
  "trigger.message": "💬",
  "logic.if": "🔀",
  "logic.switch": "🔃",
  "logic.merge": "🔗",
  "logic.for_each": "🔁",
  "logic.wait": "⏳",
  "logic.wait_for_event": "✋",
  "logic.sub_workflow": "🧩",
  "logic.succeed": "✅",
  "logic.fail": "⛔",
  "data.set": "🧮",
  "http.request": "🌐",
  "email.send": "✉️",
  "db.query": "🗄️",
  "ai.chat": "✨",
  "chat.message": "💬",
  "function.call": "ƒ",
};

export const CATEGORY_ORDER = ["trigger", "logic", "data", "action", "ai", "integration"];

export function categoryLook(category: string): CategoryLook {
  return LOOKS[category] ?? { label: category.charAt(0).toUpperCase() + category.slice(1), color: "#64748b", icon: "◆" };
}

export function typeIcon(type: string, category: string): string {
  return TYPE_ICONS[type] ?? categoryLook(category).icon;
}
