import { z } from "zod";
import type { HistorySource } from "../backends/backend.js";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import { forget } from "../memory/forget.js";
import { remember } from "../memory/remember.js";
import type { RecalledMemory } from "../memory/types.js";
import { update } from "../memory/update.js";
import type { Namespace } from "../namespace/namespace.js";
import {
  importanceSchema,
  kindSchema,
  MAX_TAGS,
  metadataSchema,
  parseInput,
  tagSchema,
} from "../record/schemas.js";
import { findSimilar } from "./find-similar.js";
import { conversationIdSchema } from "./schemas.js";
import type { Candidate, Decide, Decision, IngestDecision, Message } from "./types.js";

const candidateSchema = z.strictObject({
  content: z.string().refine((text) => text.trim().length > 0, "content is empty"),
  kind: kindSchema.optional(),
  tags: z.array(tagSchema).max(MAX_TAGS).optional(),
  importance: importanceSchema.optional(),
  metadata: metadataSchema.optional(),
  messageIds: z.array(conversationIdSchema).max(10_000).optional(),
});

const decisionSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("add") }),
  z.strictObject({
    action: z.literal("update"),
    memoryId: z.string().min(1).max(64),
    content: z
      .string()
      .refine((text) => text.trim().length > 0, "content is empty")
      .optional(),
  }),
  z.strictObject({ action: z.literal("delete"), memoryId: z.string().min(1).max(64) }),
  z.strictObject({ action: z.literal("none") }),
]);

/**
 * Checks what an extractor returned before anything is written: a bad candidate is a bug in
 * the extractor (`INVALID_ARGUMENT`), and none of the batch is applied.
 */
export function validateCandidates(
  context: MemoryContext,
  raw: unknown,
  messages: readonly Message[],
): Candidate[] {
  const candidates = parseInput(z.array(candidateSchema).max(1000), raw, "extracted candidates");
  const ids = new Set(messages.map((message) => message.id));
  for (const [index, candidate] of candidates.entries()) {
    if (candidate.content.length > context.limits.contentLength)
      throw new EngramError(
        "CONTENT_TOO_LARGE",
        `Candidate ${index} has ${candidate.content.length} characters; the limit is ${context.limits.contentLength}.`,
        { details: { index, limit: context.limits.contentLength } },
      );
    const stray = candidate.messageIds?.find((id) => !ids.has(id));
    if (stray !== undefined)
      throw new EngramError(
        "INVALID_ARGUMENT",
        `Candidate ${index} names message ${stray}, which the extractor was not given.`,
        {
          details: {
            issues: [{ path: [String(index), "messageIds"], message: "unknown message" }],
          },
        },
      );
  }
  return candidates as Candidate[];
}

/** The default decision: nothing when a memory is already (nearly) the same, else add. */
export function defaultDecide(threshold: number | undefined): Decide {
  return async ({ similar }) =>
    threshold !== undefined && similar[0] !== undefined && similar[0].score >= threshold
      ? { action: "none" }
      : { action: "add" };
}

/**
 * Decides and applies one candidate through the normal write paths (dedup, history with the
 * source, retention, events). A decision that names a memory the decider was not shown, or
 * that is malformed, is refused and reported as `none`.
 */
export async function applyCandidate(
  context: MemoryContext,
  candidate: Candidate,
  options: {
    namespace: Namespace;
    similar: number;
    /** The caller's decider; the default one when absent. */
    decide: Decide | undefined;
    threshold: number | undefined;
    source: HistorySource;
    /** When the candidate was said: the time of a memory it adds. */
    createdAt: number;
  },
): Promise<IngestDecision> {
  const similar = await findSimilar(context, options.namespace, candidate.content, options.similar);
  const decide = options.decide ?? defaultDecide(options.threshold);
  const proposed = await decide({ candidate, similar });
  const parsed = decisionSchema.safeParse(proposed);
  const refuse = (refused: string): IngestDecision => ({
    action: "none",
    memoryId: undefined,
    candidate,
    refused,
  });
  if (!parsed.success) return refuse(`malformed decision: ${parsed.error.issues[0]?.message}`);
  const decision = parsed.data as Decision;
  const shown = (id: string) => similar.some((memory: RecalledMemory) => memory.id === id);
  const source = {
    ...options.source,
    messageIds: candidate.messageIds ?? options.source.messageIds,
  };

  switch (decision.action) {
    case "none":
      // The default decider says none only for a near-identical memory: name it.
      return {
        action: "none",
        memoryId: options.decide === undefined ? similar[0]?.id : undefined,
        candidate,
      };
    case "add": {
      const [result] = await remember(
        context,
        [
          {
            namespace: options.namespace,
            content: candidate.content,
            kind: candidate.kind ?? "fact",
            ...(candidate.tags ? { tags: candidate.tags } : {}),
            ...(candidate.importance !== undefined ? { importance: candidate.importance } : {}),
            ...(candidate.metadata ? { metadata: candidate.metadata } : {}),
            createdAt: options.createdAt,
          },
        ],
        true,
        source,
      );
      return { action: "add", memoryId: result!.id, candidate };
    }
    case "update": {
      if (!shown(decision.memoryId))
        return refuse(`memory ${decision.memoryId} was not among the similar memories shown`);
      try {
        await update(
          context,
          decision.memoryId,
          { content: decision.content ?? candidate.content },
          source,
        );
      } catch (error) {
        if (EngramError.isInstance(error) && error.code === "NOT_FOUND")
          return refuse(`memory ${decision.memoryId} no longer exists`);
        throw error;
      }
      return { action: "update", memoryId: decision.memoryId, candidate };
    }
    case "delete": {
      if (!shown(decision.memoryId))
        return refuse(`memory ${decision.memoryId} was not among the similar memories shown`);
      if ((await forget(context, [decision.memoryId], source)) === 0)
        return refuse(`memory ${decision.memoryId} no longer exists`);
      return { action: "delete", memoryId: decision.memoryId, candidate };
    }
  }
}
