// Editing the search text from filter chips: read and replace `key:value` tokens while
// leaving everything else the user typed alone. The core parses the query; this only
// needs to find tokens the same way (whitespace-separated, "quoted" parts kept together).

export type FilterKey = "merchant" | "tag" | "kind" | "after" | "before" | "amount";

const ALIASES: Record<FilterKey, string[]> = {
  merchant: ["merchant", "m"],
  tag: ["tag", "t"],
  kind: ["kind", "type"],
  after: ["after", "from", "since"],
  before: ["before", "until"],
  amount: ["amount", "total"],
};

/** Split into tokens; a token may contain quoted parts with spaces (`merchant:"Big Shop"`). */
export function tokenize(query: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of query) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  if (cur) out.push(cur);
  return out;
}

function keyOf(token: string): FilterKey | null {
  const i = token.indexOf(":");
  if (i <= 0) return null;
  const k = token.slice(0, i).toLowerCase();
  for (const [key, names] of Object.entries(ALIASES) as [FilterKey, string[]][]) {
    if (names.includes(k)) return key;
  }
  return null;
}

function unquote(v: string): string {
  return v.replace(/^"(.*)"$/, "$1");
}

/** The value of the first `key:` token, without quotes; null when absent. */
export function getFilter(query: string, key: FilterKey): string | null {
  for (const t of tokenize(query)) {
    if (keyOf(t) === key) return unquote(t.slice(t.indexOf(":") + 1));
  }
  return null;
}

/** All filters present, in order. */
export function listFilters(query: string): { key: FilterKey; value: string; token: string }[] {
  const out: { key: FilterKey; value: string; token: string }[] = [];
  for (const t of tokenize(query)) {
    const key = keyOf(t);
    if (key) out.push({ key, value: unquote(t.slice(t.indexOf(":") + 1)), token: t });
  }
  return out;
}

/** Replace (or with null/"" remove) every `key:` token; a new one goes at the end. */
export function setFilter(query: string, key: FilterKey, value: string | null): string {
  const tokens = tokenize(query).filter((t) => keyOf(t) !== key);
  const v = (value ?? "").trim();
  if (v) tokens.push(`${key}:${/[\s"]/.test(v) ? `"${v.replace(/"/g, "")}"` : v}`);
  return tokens.join(" ");
}
