// LoCoMo data: reading the file, flattening turns, and normalising evidence ids.
// The scoring rules come from ../shared/data/locomo/README.md.
import { readFileSync } from "node:fs";

interface RawTurn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}

interface RawQuestion {
  question: string;
  answer?: unknown;
  evidence?: string[];
  category: number;
}

interface RawSample {
  sample_id?: string;
  conversation: Record<string, unknown>;
  qa: RawQuestion[];
}

/** One dialogue turn, ready to become a memory. */
export interface Turn {
  diaId: string;
  speaker: string;
  session: number;
  /** The session's date as ISO-8601, when the file gives a readable one. */
  sessionDate: string | undefined;
  /** What is stored and searched: the speaker, the text, and a shared image's caption. */
  content: string;
}

/** One answerable question and the turns that support its answer. */
export interface Question {
  question: string;
  category: number;
  evidence: Set<string>;
}

export interface Conversation {
  id: string;
  turns: Turn[];
  questions: Question[];
}

/** Categories 1-4 are answerable; 5 is adversarial and left out of retrieval scoring. */
export const SCORED_CATEGORIES = new Set([1, 2, 3, 4]);

/** Reads a LoCoMo-shaped file into conversations with their turns and scored questions. */
export function loadConversations(path: string): Conversation[] {
  const samples = JSON.parse(readFileSync(path, "utf8")) as RawSample[];
  return samples.map((sample, index) => ({
    id: sample.sample_id ?? `conversation-${index + 1}`,
    turns: conversationTurns(sample.conversation),
    questions: sample.qa
      .filter((qa) => SCORED_CATEGORIES.has(qa.category))
      .map((qa) => ({
        question: qa.question,
        category: qa.category,
        evidence: new Set((qa.evidence ?? []).flatMap(normaliseEvidence)),
      })),
  }));
}

function conversationTurns(conversation: Record<string, unknown>): Turn[] {
  const sessions = Object.keys(conversation)
    .map((key) => /^session_(\d+)$/.exec(key))
    .filter((match) => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
  return sessions.flatMap((session) => {
    const when = conversation[`session_${session}_date_time`];
    const sessionDate = typeof when === "string" ? parseSessionDate(when) : undefined;
    return (conversation[`session_${session}`] as RawTurn[]).map((turn) => ({
      diaId: normaliseEvidence(turn.dia_id)[0] ?? turn.dia_id,
      speaker: turn.speaker,
      session,
      sessionDate,
      content: turnContent(turn),
    }));
  });
}

/** "Caroline: text" plus the caption of a shared image, which is part of what was said. */
export function turnContent(turn: {
  speaker: string;
  text: string;
  blip_caption?: string;
}): string {
  const caption = turn.blip_caption ? ` (image: ${turn.blip_caption})` : "";
  return `${turn.speaker}: ${turn.text}${caption}`;
}

/**
 * Evidence ids as `D<int>:<int>`. Some are malformed ("D8:6; D9:17", "D:11:26", "D30:05"):
 * split on `;`, `,` and spaces, then read the two numbers.
 */
export function normaliseEvidence(raw: string): string[] {
  return raw
    .split(/[;,\s]+/)
    .map((part) => /^D:?(\d+):(\d+)$/i.exec(part.trim()))
    .filter((match) => match !== null)
    .map((match) => `D${Number(match[1])}:${Number(match[2])}`);
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** "1:56 pm on 8 May, 2023" -> "2023-05-08T13:56:00.000Z" (the file gives no time zone). */
export function parseSessionDate(text: string): string | undefined {
  const match = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([a-z]+),?\s+(\d{4})/i.exec(text);
  if (!match) return undefined;
  const [, hour, minute, half, day, monthName, year] = match;
  const month = MONTHS.indexOf(monthName!.toLowerCase());
  if (month < 0) return undefined;
  const hours = (Number(hour) % 12) + (half!.toLowerCase() === "pm" ? 12 : 0);
  return new Date(Date.UTC(Number(year), month, Number(day), hours, Number(minute))).toISOString();
}

/**
 * The conversations a `--conversations` list names, 1-based: "1-3", "4,5" or "2". All of them
 * when the list is absent.
 */
export function pickConversations(all: Conversation[], list: string | undefined): Conversation[] {
  if (list === undefined) return all;
  const wanted = new Set<number>();
  for (const part of list.split(",")) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) throw new Error(`--conversations: "${part}" is not a number or a range like 1-3`);
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    for (let i = from; i <= to; i++) wanted.add(i);
  }
  const picked = all.filter((_, index) => wanted.has(index + 1));
  if (picked.length !== wanted.size)
    throw new Error(`--conversations: the file has conversations 1-${all.length} only`);
  return picked;
}
