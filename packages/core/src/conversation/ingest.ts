import { randomUUID } from "node:crypto";
import { z } from "zod";
import { EngramError } from "../errors/engram-error.js";
import type { MemoryContext } from "../memory/context.js";
import type { TokenCounter } from "../memory/context-block.js";
import { encodeNamespace } from "../namespace/namespace.js";
import { parseInput } from "../record/schemas.js";
import { defaultExtract } from "./default-extract.js";
import { applyCandidate, validateCandidates } from "./ingest-decisions.js";
import { addressFields, checkNamespaces } from "./schemas.js";
import { summarizeThread } from "./summarize-thread.js";
import { toMessages, toThread } from "./to-public.js";
import type {
  Candidate,
  Decide,
  Extract,
  IngestOptions,
  IngestReport,
  SummarizeThread,
  ThreadAddress,
} from "./types.js";

const fn = <T>() => z.custom<T>((value) => typeof value === "function", "expected a function");

const ingestSchema = z.strictObject({
  ...addressFields,
  extract: fn<Extract>().optional(),
  decide: fn<Decide>().optional(),
  into: z.array(z.string()).optional(),
  similar: z.number().int().min(0).max(100).default(5),
  summarize: fn<SummarizeThread>().optional(),
  summaryTokens: z.number().int().min(1).max(1_000_000).default(2000),
  keepRecent: z.number().int().min(0).max(10_000).default(10),
  batchSize: z.number().int().min(1).max(1000).default(50),
});

/**
 * How long an ingest holds a thread before another may take it over. It is renewed after every
 * batch, so only an ingest that died (or one batch slower than this) loses it.
 */
export const INGEST_LEASE_MS = 5 * 60_000;

/**
 * Turns a thread's messages appended since the last ingest into long-term memories: an
 * extractor proposes candidates, a decider chooses add, update, delete or nothing for each
 * against the similar memories, and the decisions go through remember, update and forget, with
 * the thread and messages as each history entry's source. A lease on the thread keeps two
 * ingests from reading the same messages: one that finds the thread held elsewhere returns at
 * once with `busy`. The position ingest reached is kept per thread, so it never re-reads.
 */
export async function ingest(
  context: MemoryContext,
  raw: ThreadAddress & IngestOptions,
  countTokens: TokenCounter,
): Promise<IngestReport> {
  checkNamespaces(raw, "namespace", "into");
  const input = parseInput(ingestSchema, raw, "ingest options");
  await context.ready();
  const store = context.backend.conversations;
  const namespace = encodeNamespace(input.namespace);
  const { threadId } = input;
  const owner = randomUUID();
  const claim = await store.claimIngest(
    namespace,
    threadId,
    owner,
    context.now() + INGEST_LEASE_MS,
    context.now(),
  );
  if (claim.status === "missing")
    throw new EngramError("NOT_FOUND", `No thread ${threadId} in this namespace.`, {
      details: { threadId },
    });
  const report: IngestReport = { messages: 0, decisions: [], summarized: false };
  if (claim.status === "busy") return { ...report, busy: true };

  const renew = (seq: number) =>
    store.advanceIngest(namespace, threadId, owner, seq, context.now() + INGEST_LEASE_MS);
  const lost = () =>
    new EngramError("CONFLICT", `Another ingest took thread ${threadId} over (lease expired).`, {
      details: { threadId },
    });
  try {
    const extract = input.extract ?? defaultExtract(context);
    const into = input.into ?? input.namespace;
    const threshold = context.dedup === false ? undefined : context.dedup.threshold;
    let after = claim.afterSeq;
    for (;;) {
      const batch = await store.readAppended(namespace, threadId, after, input.batchSize);
      if (batch.length === 0) break;
      const thread = await store.getThread(namespace, threadId);
      if (!thread) throw lost();
      const messages = toMessages(batch);
      const candidates = validateCandidates(
        context,
        await extract({ thread: toThread(thread), messages }),
        messages,
      );
      // The extractor may be slow (an LLM): make sure the lease is still ours before writing.
      if (!(await renew(after))) throw lost();
      const source = {
        namespace: input.namespace,
        threadId,
        messageIds: messages.map((message) => message.id),
      };
      const said = new Map(messages.map((message) => [message.id, message.createdAt.getTime()]));
      for (const candidate of candidates) {
        report.decisions.push(
          await applyCandidate(context, candidate, {
            namespace: into,
            similar: input.similar,
            decide: input.decide,
            threshold,
            source,
            createdAt: saidAt(candidate, said, context.now()),
          }),
        );
      }
      after = batch.at(-1)!.seq;
      if (!(await renew(after))) throw lost();
      report.messages += batch.length;
      if (batch.length < input.batchSize) break;
    }
    if (input.summarize) {
      report.summarized = await summarizeThread(context, namespace, threadId, {
        summarize: input.summarize,
        summaryTokens: input.summaryTokens,
        keepRecent: input.keepRecent,
        countTokens,
        stillOwner: () => renew(after),
      });
    }
    return report;
  } finally {
    await store.releaseIngest(namespace, threadId, owner).catch(() => undefined);
  }
}

/**
 * When a candidate was said: its newest source message's time (all of the batch's when it names
 * none), so memories of an imported chat keep the chat's dates; never later than now.
 */
function saidAt(candidate: Candidate, said: Map<string, number>, now: number): number {
  const ids = candidate.messageIds?.length ? candidate.messageIds : [...said.keys()];
  const times = ids.map((id) => said.get(id)).filter((time) => time !== undefined);
  return Math.min(now, times.length > 0 ? Math.max(...times) : now);
}
