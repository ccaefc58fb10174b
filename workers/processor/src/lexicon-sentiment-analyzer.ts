import type { SentimentAnalyzer } from "../../../shared/ports.ts";
import { analyzeSentiment } from "../../../shared/sentiment/lexicon-analyzer.ts";

/** The offline analyzer: used whenever no model is configured. */
export const lexiconSentimentAnalyzer: SentimentAnalyzer = {
  name: "lexicon",
  analyze: async (text) => analyzeSentiment(text),
};
