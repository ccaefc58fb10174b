/**
 * Offline lexicon sentiment analyzer: the default when no LLM is configured. Pure string
 * processing, so it runs unchanged in Cloudflare Workers and Node.
 */
import {
  CONTRAST_WORDS,
  INTENSIFIER_MULTIPLIERS,
  NEGATORS,
  PHRASE_VALENCES,
  WORD_VALENCES,
} from "./lexicon-words.ts";

export type SentimentLabel = "positive" | "neutral" | "negative";

export interface SentimentResult {
  label: SentimentLabel;
  score: number;
  analyzer: "lexicon";
}

/** Only the opening of a huge ticket is read: it carries the tone and bounds the cost. */
const MAX_ANALYZED_CHARS = 20_000;
/** How many tokens after "not", "never", "don't"... have their polarity reversed. */
const NEGATION_WINDOW_TOKENS = 3;
/** Negation reverses and softens: "not good" is less intense than "bad". */
const NEGATION_MULTIPLIER = -0.75;
/** Words in capitals inside otherwise mixed-case text are read as shouting. */
const ALL_CAPS_MULTIPLIER = 1.3;
/** "It looks nice, but it broke in a week": the clause after a contrast word dominates. */
const BEFORE_CONTRAST_WEIGHT = 0.5;
const AFTER_CONTRAST_WEIGHT = 1.5;
const EXCLAMATION_BOOST_PER_MARK = 0.15;
const MAX_COUNTED_EXCLAMATION_MARKS = 3;
/** Larger alpha means a sentence needs more summed valence to approach +/-1. */
const NORMALIZATION_ALPHA = 15;
const POSITIVE_SCORE_THRESHOLD = 0.05;
const NEGATIVE_SCORE_THRESHOLD = -0.05;

const SENTENCE_END_TOKENS: ReadonlySet<string> = new Set([".", "!", "?"]);
const CLAUSE_BREAK_TOKENS: ReadonlySet<string> = new Set([",", ";", ":"]);

// Emoticons first so ":)" is not split into a colon; apostrophes stay inside words ("don't").
const TOKEN_PATTERN = /[:;]-?[()dp](?![\p{L}\p{N}])|[\p{L}\p{N}]+(?:['’]\p{L}+)*|[.!?,;:]/giu;
// CFPB narratives redact names, dates and amounts as XXXX; they carry no sentiment.
const REDACTION_PATTERN = /^x{2,}$/i;

const PHRASE_HEADS: ReadonlySet<string> = new Set(
  [...PHRASE_VALENCES.keys()].map((phrase) => phrase.split(" ")[0] ?? ""),
);
const MAX_PHRASE_TOKENS = Math.max(
  ...[...PHRASE_VALENCES.keys()].map((phrase) => phrase.split(" ").length),
);

interface Token {
  word: string;
  isShouted: boolean;
}

interface PhraseMatch {
  valence: number;
  tokenCount: number;
}

export function analyzeSentiment(text: string): SentimentResult {
  // Untyped callers (bodies parsed from JSON) may pass a non-string: read it as empty, not throw.
  const analyzed = typeof text === "string" ? text.slice(0, MAX_ANALYZED_CHARS) : "";
  return buildResult(sumValence(tokenize(analyzed)));
}

function tokenize(text: string): Token[] {
  const hasLowercase = /\p{Ll}/u.test(text);
  const tokens: Token[] = [];
  for (const [raw] of text.matchAll(TOKEN_PATTERN)) {
    if (REDACTION_PATTERN.test(raw)) continue;
    const word = raw.toLowerCase().replaceAll("’", "'");
    const isShouted = hasLowercase && raw.length >= 2 && raw === raw.toUpperCase() && raw !== word;
    tokens.push({ word, isShouted });
  }
  return tokens;
}

function sumValence(tokens: readonly Token[]): number {
  let total = 0;
  let sentence = 0;
  let clauseWeight = 1;
  let negationTokensLeft = 0;
  let intensity = 1;
  let index = 0;

  while (index < tokens.length) {
    const token = tokens[index] as Token;
    const { word } = token;

    if (SENTENCE_END_TOKENS.has(word)) {
      let exclamationMarks = 0;
      while (index < tokens.length && SENTENCE_END_TOKENS.has(tokens[index]?.word ?? "")) {
        if (tokens[index]?.word === "!") exclamationMarks += 1;
        index += 1;
      }
      total += emphasizeSentence(sentence, exclamationMarks);
      sentence = 0;
      clauseWeight = 1;
      negationTokensLeft = 0;
      intensity = 1;
      continue;
    }
    if (CLAUSE_BREAK_TOKENS.has(word)) {
      negationTokensLeft = 0;
      intensity = 1;
      index += 1;
      continue;
    }

    const phrase = matchPhrase(tokens, index);
    if (phrase === undefined && NEGATORS.has(word)) {
      negationTokensLeft = NEGATION_WINDOW_TOKENS;
      intensity = 1;
      index += 1;
      continue;
    }
    if (phrase === undefined && CONTRAST_WORDS.has(word)) {
      sentence *= BEFORE_CONTRAST_WEIGHT;
      clauseWeight = AFTER_CONTRAST_WEIGHT;
      negationTokensLeft = 0;
      intensity = 1;
      index += 1;
      continue;
    }
    const intensifier = INTENSIFIER_MULTIPLIERS.get(word);
    if (phrase === undefined && intensifier !== undefined) {
      intensity *= intensifier;
      negationTokensLeft = Math.max(0, negationTokensLeft - 1);
      index += 1;
      continue;
    }

    let valence = phrase?.valence ?? lookUpWordValence(word);
    if (valence !== 0) {
      valence *= intensity;
      if (token.isShouted) valence *= ALL_CAPS_MULTIPLIER;
      // A phrase that starts with a negator ("can't go wrong") already includes its meaning.
      const absorbsNegation = phrase !== undefined && NEGATORS.has(word);
      if (negationTokensLeft > 0 && !absorbsNegation) valence *= NEGATION_MULTIPLIER;
      sentence += valence * clauseWeight;
    }
    const consumed = phrase?.tokenCount ?? 1;
    negationTokensLeft = Math.max(0, negationTokensLeft - consumed);
    intensity = 1;
    index += consumed;
  }
  return total + sentence;
}

function matchPhrase(tokens: readonly Token[], start: number): PhraseMatch | undefined {
  if (!PHRASE_HEADS.has(tokens[start]?.word ?? "")) return undefined;
  const longest = Math.min(MAX_PHRASE_TOKENS, tokens.length - start);
  for (let tokenCount = longest; tokenCount >= 2; tokenCount -= 1) {
    const key = tokens
      .slice(start, start + tokenCount)
      .map((token) => token.word)
      .join(" ");
    const valence = PHRASE_VALENCES.get(key);
    if (valence !== undefined) return { valence, tokenCount };
  }
  return undefined;
}

function lookUpWordValence(word: string): number {
  const exact = WORD_VALENCES.get(word);
  if (exact !== undefined) return exact;
  // Possessives and plurals ("company's", "problems") share the valence of the base word.
  if (word.endsWith("'s")) return WORD_VALENCES.get(word.slice(0, -2)) ?? 0;
  if (word.length > 3 && word.endsWith("s")) return WORD_VALENCES.get(word.slice(0, -1)) ?? 0;
  return 0;
}

function emphasizeSentence(valence: number, exclamationMarks: number): number {
  const countedMarks = Math.min(exclamationMarks, MAX_COUNTED_EXCLAMATION_MARKS);
  return valence * (1 + EXCLAMATION_BOOST_PER_MARK * countedMarks);
}

function buildResult(totalValence: number): SentimentResult {
  const normalized = totalValence / Math.sqrt(totalValence * totalValence + NORMALIZATION_ALPHA);
  const score = Number.isFinite(normalized) ? Math.max(-1, Math.min(1, normalized)) : 0;
  return { label: pickLabel(score), score: score === 0 ? 0 : score, analyzer: "lexicon" };
}

function pickLabel(score: number): SentimentLabel {
  if (score >= POSITIVE_SCORE_THRESHOLD) return "positive";
  if (score <= NEGATIVE_SCORE_THRESHOLD) return "negative";
  return "neutral";
}
