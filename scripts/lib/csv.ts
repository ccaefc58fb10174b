/**
 * A small RFC 4180 CSV parser for the demo data. Records end with CRLF or LF; a quoted
 * field may hold commas, doubled quotes and line breaks of either kind.
 */

interface ParsedRow {
  /** 1-based physical line where the record starts, so errors can point into the file. */
  line: number;
  fields: string[];
}

const BYTE_ORDER_MARK = 0xfeff;

function parseRows(text: string): ParsedRow[] {
  const rows: ParsedRow[] = [];
  let fields: string[] = [];
  let field = "";
  // A quote only opens a quoted field at the start of a field; elsewhere it is literal text.
  let atFieldStart = true;
  let line = 1;
  let rowLine = 1;
  // Spreadsheet exports often start with a BOM, which would otherwise end up in the first header.
  let index = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;

  while (index < text.length) {
    const char = text[index];

    if (char === '"' && atFieldStart) {
      const openLine = line;
      index++;
      for (;;) {
        const quoteIndex = text.indexOf('"', index);
        if (quoteIndex === -1) {
          throw new Error(
            `CSV line ${openLine}: unterminated quoted field (no closing quote before the end)`,
          );
        }
        const chunk = text.slice(index, quoteIndex);
        line += countLineFeeds(chunk);
        field += chunk;
        if (text[quoteIndex + 1] === '"') {
          field += '"';
          index = quoteIndex + 2;
          continue;
        }
        index = quoteIndex + 1;
        break;
      }
      atFieldStart = false;
      // Text after a closing quote has no agreed meaning, so silently accepting it would hide a
      // damaged file.
      if (index < text.length && text[index] !== "," && lineBreakLength(text, index) === 0) {
        throw new Error(
          `CSV line ${line}: unexpected ${JSON.stringify(text[index])} after a closing quote`,
        );
      }
      continue;
    }

    if (char === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
      index++;
      continue;
    }

    const breakLength = lineBreakLength(text, index);
    if (breakLength > 0) {
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = "";
      atFieldStart = true;
      index += breakLength;
      line++;
      rowLine = line;
      continue;
    }

    field += char;
    atFieldStart = false;
    index++;
  }

  // A final record without a line break still counts; a trailing line break adds no record.
  if (!atFieldStart || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}

/** Returns 2 for CRLF, 1 for LF, 0 otherwise; a lone CR stays part of the field. */
function lineBreakLength(text: string, index: number): number {
  if (text[index] === "\n") return 1;
  if (text[index] === "\r" && text[index + 1] === "\n") return 2;
  return 0;
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1)) {
    count++;
  }
  return count;
}

/** Parses CSV text into rows of fields, header included. Throws on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  return parseRows(text).map((row) => row.fields);
}

/**
 * Parses CSV text whose first row names the columns. Throws when a record's field count differs
 * from the header's, since a shifted column would silently put data under the wrong name.
 */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseRows(text);
  if (header === undefined) return [];

  const seen = new Set<string>();
  for (const name of header.fields) {
    if (seen.has(name)) {
      throw new Error(`CSV line ${header.line}: duplicate column ${JSON.stringify(name)}`);
    }
    seen.add(name);
  }

  return rows.map((row) => {
    if (row.fields.length !== header.fields.length) {
      throw new Error(
        `CSV line ${row.line}: expected ${header.fields.length} fields, found ${row.fields.length}`,
      );
    }
    // fromEntries defines own properties, so a column named "__proto__" cannot reach the prototype.
    return Object.fromEntries(
      header.fields.map((name, column) => [name, row.fields[column] ?? ""]),
    );
  });
}
