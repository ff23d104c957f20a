// The REST API as the page uses it. The key lives in sessionStorage (this tab only) and goes in
// the Authorization header, never in a URL.

const KEY_STORAGE = "engram.apiKey";

export interface Memory {
  id: string;
  namespace: string[];
  content: string;
  kind: string;
  key: string | null;
  metadata: Record<string, unknown>;
  tags: string[];
  importance: number;
  pinned: boolean;
  createdAt: string;
  updatedAt: string;
  lastAccessedAt: string | null;
  accessCount: number;
  expiresAt: string | null;
  embedding: { model: string; dimensions: number };
  score?: number;
  explain?: Record<string, number>;
}

export interface NamespaceCount {
  namespace: string[];
  total: number;
  kinds: Record<string, number>;
}

export interface HistoryEntry {
  action: "created" | "updated" | "merged" | "deleted";
  at: string;
  before: Memory | null;
  after: Memory | null;
}

export interface MemoryEvent {
  id: string;
  type: "created" | "updated" | "deleted";
  memoryId: string;
  namespace: string[];
  kind: string;
  at: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const savedKey = (): string => sessionStorage.getItem(KEY_STORAGE) ?? "";
export const saveKey = (key: string): void => {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
};

function headers(json: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  const key = savedKey();
  if (key) result.authorization = `Bearer ${key}`;
  if (json) result["content-type"] = "application/json";
  return result;
}

/** One JSON call; a non-2xx answer throws `ApiError` with the server's code and message. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = parsed?.error ?? parsed ?? {};
    throw new ApiError(
      response.status,
      error.code ?? "ERROR",
      error.message ?? response.statusText,
    );
  }
  return parsed as T;
}

export const pathOf = (namespace: readonly string[]): string => namespace.join("/");

export function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * Follows /v1/events with fetch (EventSource cannot send an Authorization header). Returns a
 * function that stops it.
 */
export function followEvents(
  onEvent: (event: MemoryEvent) => void,
  onState: (connected: boolean) => void,
): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`/v1/events${query({ since: lastId })}`, {
          headers: headers(false),
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(String(response.status));
        onState(true);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const frames = buffer.split("\n\n");
          buffer = frames.pop() ?? "";
          for (const frame of frames) {
            const data = frame
              .split("\n")
              .filter((line) => line.startsWith("data:"))
              .map((line) => line.slice(5).trim())
              .join("\n");
            if (!data) continue;
            const event = JSON.parse(data) as MemoryEvent;
            lastId = event.id;
            onEvent(event);
          }
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      onState(false);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  void run();
  return () => controller.abort();
}
