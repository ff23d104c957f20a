// LoCoMo retrieval: turn-level hit@1/5/10/20 for semantic, keyword and hybrid recall, plus
// ingest time and recall latency. Scoring follows ../shared/data/locomo/README.md.
// Run: pnpm --filter @engram/bench bench:locomo [file.json] [--json] [--backend sqlite|redis]
//        [--conversations 1-3] (a subset, 1-based: tune on some, check on the rest)
//        [--tuning 1-3] (also report the named conversations and the others as separate splits)
//        [--vector-cache /tmp/locomo-vectors.json] (reuse vectors across runs; times then skip the encoder)
//        [--modes hybrid] (a subset of semantic,keyword,hybrid)
//        [--ranking timeWeight=0,neighbourWeight=0.5] (createMemory ranking options, to compare settings)
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createMemory, type RecallMode, universalSentenceEncoder } from "@engram/core";
import { percentile } from "./lib/corpus.ts";
import { type BenchStore, chooseStore } from "./locomo/backends.ts";
import { type Conversation, loadConversations, pickConversations } from "./locomo/dataset.ts";
import { cachedEmbedder } from "./locomo/vector-cache.ts";

const DEFAULT_DATA = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../shared/data/locomo/locomo-dev.json",
);
const ALL_MODES: RecallMode[] = ["semantic", "keyword", "hybrid"];
const CUTOFFS = [1, 5, 10, 20];
const DEPTH = Math.max(...CUTOFFS);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean", default: false },
    backend: { type: "string", default: "sqlite" },
    conversations: { type: "string" },
    tuning: { type: "string" },
    modes: { type: "string" },
    ranking: { type: "string" },
    "vector-cache": { type: "string" },
    "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://localhost:6379" },
  },
});
const dataPath = resolve(positionals[0] ?? DEFAULT_DATA);
const MODES = values.modes
  ? ALL_MODES.filter((mode) => values.modes!.split(",").includes(mode))
  : ALL_MODES;
// "name=value,..." -> numbers (or false): what createMemory's `ranking` option takes.
const ranking = Object.fromEntries(
  (values.ranking ?? "")
    .split(",")
    .filter((pair) => pair.includes("="))
    .map((pair) => {
      const [name, value] = pair.split("=");
      return [name!.trim(), value!.trim() === "false" ? false : Number(value)];
    }),
);
const runId = `${process.pid}-${Date.now().toString(36)}`;
const choice = chooseStore(values.backend!, values["redis-url"]!, runId);
if (!choice.ok) {
  console.error(`bench:locomo: ${choice.reason}.`);
  process.exitCode = 1;
} else {
  await run(choice.store);
}

/** One question's outcome in one mode. */
interface Outcome {
  conversation: string;
  category: number;
  rank: number;
  ms: number;
}

interface ModeResult {
  hits: Record<string, number>;
  byCategory: Record<string, { questions: number; "hit@10": number }>;
  p50Ms: number;
  p95Ms: number;
}

async function run(store: BenchStore) {
  const conversations = pickConversations(loadConversations(dataPath), values.conversations);
  const cachePath = values["vector-cache"];
  const embedder = cachePath
    ? cachedEmbedder(universalSentenceEncoder(), cachePath)
    : universalSentenceEncoder();
  // Each mode recalls from its own copy of the data: recall counts every use of a memory
  // (accessCount, a ranking signal), so a shared copy would let one mode's questions sway the next.
  const namespaceOf = (mode: RecallMode, conversation: Conversation) => [
    "locomo",
    runId,
    mode,
    conversation.id,
  ];
  try {
    const writer = createMemory({ backend: store.open(), embedder });
    const ingest = async (mode: RecallMode) => {
      for (const conversation of conversations) {
        await writer.remember(
          conversation.turns.map((turn) => ({
            namespace: namespaceOf(mode, conversation),
            content: turn.content,
            kind: "message",
            // The session's date is when the turn happened: recall reads it as the memory's time.
            ...(turn.sessionDate ? { createdAt: turn.sessionDate } : {}),
            metadata: {
              speaker: turn.speaker,
              dia_id: turn.diaId,
              session: turn.session,
              ...(turn.sessionDate ? { session_date: turn.sessionDate } : {}),
            },
          })),
        );
      }
    };
    // Only the first copy is timed: the later ones reuse its stored vectors.
    const started = performance.now();
    await ingest(MODES[0]!);
    const ingestSeconds = (performance.now() - started) / 1000;
    for (const mode of MODES.slice(1)) await ingest(mode);
    await writer.close();

    const byMode: Record<string, Outcome[]> = {};
    for (const mode of MODES) {
      // A fresh memory per mode: each starts with a cold query-embedding cache.
      const memory = createMemory({ backend: store.open(), embedder, ranking });
      await memory.recall({
        namespace: namespaceOf(mode, conversations[0]!),
        query: "warm up",
        mode,
      });
      const outcomes: Outcome[] = [];
      for (const conversation of conversations) {
        for (const question of conversation.questions) {
          const t = performance.now();
          const hits = await memory.recall({
            namespace: namespaceOf(mode, conversation),
            query: question.question,
            mode,
            limit: DEPTH,
          });
          const ms = performance.now() - t;
          const rank = hits.findIndex((hit) => question.evidence.has(String(hit.metadata.dia_id)));
          outcomes.push({
            conversation: conversation.id,
            category: question.category,
            rank: rank < 0 ? Infinity : rank + 1,
            ms,
          });
        }
      }
      await memory.close();
      byMode[mode] = outcomes;
    }

    const cleaner = createMemory({ backend: store.open(), embedder });
    await cleaner.forgetNamespace(["locomo", runId]);
    await cleaner.close();
    if ("save" in embedder) embedder.save();

    const tuning = values.tuning
      ? new Set(pickConversations(conversations, values.tuning).map((c) => c.id))
      : undefined;
    const splits = tuning && [
      {
        name: "tuning",
        conversations: conversations.filter((c) => tuning.has(c.id)).map((c) => c.id),
        modes: summarise(byMode, (o) => tuning.has(o.conversation)),
      },
      {
        name: "heldOut",
        conversations: conversations.filter((c) => !tuning.has(c.id)).map((c) => c.id),
        modes: summarise(byMode, (o) => !tuning.has(o.conversation)),
      },
    ];
    const turns = conversations.reduce((sum, c) => sum + c.turns.length, 0);
    const questions = conversations.reduce((sum, c) => sum + c.questions.length, 0);
    const report = {
      data: dataPath,
      backend: store.label,
      embedder: `${embedder.model} (${embedder.dimensions}-d)`,
      conversations: conversations.length,
      ...(values.conversations ? { subset: values.conversations } : {}),
      turns,
      questions,
      ingestSeconds,
      ...(values.ranking ? { ranking } : {}),
      modes: summarise(byMode, () => true),
      ...(splits ? { splits: Object.fromEntries(splits.map((split) => [split.name, split])) } : {}),
    };
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    console.log(
      `\nLoCoMo turn retrieval: ${conversations.length} conversations${values.conversations ? ` (${values.conversations})` : ""}, ${turns} turns, ${questions} questions (categories 1-4)`,
    );
    console.log(`${report.backend}, ${report.embedder}\n`);
    printTable("all", report.modes);
    for (const split of splits ?? [])
      printTable(`${split.name}: ${split.conversations.join(", ")}`, split.modes);
    console.log(
      `\nIngest: ${turns} turns in ${ingestSeconds.toFixed(1)} s (${Math.round(turns / ingestSeconds)} turns/s, embedding included).`,
    );
    console.log(
      cachePath
        ? `Vectors came from the cache ${cachePath} where present: the times above skip the encoder.`
        : "Recall latency includes embedding the question (semantic, hybrid); top-20 per question.",
    );
  } finally {
    store.dispose();
  }
}

/** hit@k, hit@10 per category and latency over the outcomes `keep` selects, per mode. */
function summarise(
  byMode: Record<string, Outcome[]>,
  keep: (outcome: Outcome) => boolean,
): Record<string, ModeResult> {
  const share = (list: Outcome[], k: number) =>
    list.length === 0 ? 0 : list.filter((o) => o.rank <= k).length / list.length;
  return Object.fromEntries(
    Object.entries(byMode).map(([mode, all]) => {
      const outcomes = all.filter(keep);
      const categories = [...new Set(outcomes.map((o) => o.category))].sort();
      const result: ModeResult = {
        hits: Object.fromEntries(CUTOFFS.map((k) => [`hit@${k}`, share(outcomes, k)])),
        byCategory: Object.fromEntries(
          categories.map((category) => {
            const list = outcomes.filter((o) => o.category === category);
            return [String(category), { questions: list.length, "hit@10": share(list, 10) }];
          }),
        ),
        p50Ms: percentile(
          outcomes.map((o) => o.ms),
          50,
        ),
        p95Ms: percentile(
          outcomes.map((o) => o.ms),
          95,
        ),
      };
      return [mode, result];
    }),
  );
}

/** One markdown table: hit@k and latency per mode, then hit@10 per question category. */
function printTable(title: string, results: Record<string, ModeResult>) {
  const categories = [
    ...new Set(Object.values(results).flatMap((r) => Object.keys(r.byCategory))),
  ].sort();
  const header = [
    "mode",
    ...CUTOFFS.map((k) => `hit@${k}`),
    ...categories.map((c) => `cat ${c} hit@10`),
    "recall p50 ms",
    "recall p95 ms",
  ];
  console.log(`\n${title}\n\n| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
  for (const mode of MODES) {
    const r = results[mode]!;
    const cells = [
      mode,
      ...CUTOFFS.map((k) => r.hits[`hit@${k}`]!.toFixed(3)),
      ...categories.map((c) => r.byCategory[c]?.["hit@10"].toFixed(3) ?? "-"),
      r.p50Ms.toFixed(1),
      r.p95Ms.toFixed(1),
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
}
