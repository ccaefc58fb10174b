/**
 * What may appear in text a client sends us. Each rule closes a way to make stored text
 * mean something other than it shows: terminal escapes, header breaks, text that renders
 * reversed, lines that hide, and strings no encoder can represent.
 */

// C0 and C1 controls except tab, LF and CR. U+009B is a one-character terminal escape.
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

// Bidirectional embeddings, overrides and isolates (Unicode TR9): "evil" can render as
// "live". Right-to-left scripts render correctly without them.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

// Everything that breaks a line, including the Unicode separators and NEL.
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]/;

// Characters that occupy no space: text made only of them looks empty.
const INVISIBLE_CHARACTERS = /[\s\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/gu;

// A surrogate half without its partner; JSON allows it, UTF-8 cannot encode it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type TextProblem =
  "control_character" | "bidi_control" | "line_break" | "invisible_only" | "lone_surrogate";

export function findTextProblem(
  text: string,
  options: { singleLine: boolean },
): TextProblem | undefined {
  if (LONE_SURROGATE.test(text)) return "lone_surrogate";
  if (CONTROL_CHARACTERS.test(text)) return "control_character";
  if (BIDI_CONTROLS.test(text)) return "bidi_control";
  if (options.singleLine && LINE_BREAKS.test(text)) return "line_break";
  if (text.length > 0 && text.replace(INVISIBLE_CHARACTERS, "").length === 0)
    return "invisible_only";
  return undefined;
}

export const TEXT_PROBLEM_MESSAGES: Record<TextProblem, string> = {
  control_character: "must not contain control characters",
  bidi_control: "must not contain bidirectional control characters",
  line_break: "must be one line",
  invisible_only: "must contain visible characters",
  lone_surrogate: "must be valid Unicode",
};

/** Printable ASCII: what an email address or an identifier of ours may contain. */
export function isPrintableAscii(text: string): boolean {
  return /^[\x21-\x7e]+$/.test(text);
}
