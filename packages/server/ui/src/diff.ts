import type { HistoryEntry, Memory } from "./api";

const FIELDS = [
  "content",
  "kind",
  "key",
  "tags",
  "importance",
  "pinned",
  "metadata",
  "expiresAt",
] as const;

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

const show = (value: unknown): string =>
  value === null || value === undefined
    ? "—"
    : typeof value === "string"
      ? value
      : JSON.stringify(value);

/** The fields one history entry changed, as readable before/after strings. */
export function changesOf(entry: HistoryEntry): FieldChange[] {
  const before = (entry.before ?? {}) as Partial<Memory>;
  const after = (entry.after ?? {}) as Partial<Memory>;
  return FIELDS.flatMap((field) => {
    const was = show(before[field]);
    const now = show(after[field]);
    return was === now
      ? []
      : [{ field, before: entry.before ? was : "", after: entry.after ? now : "" }];
  });
}
