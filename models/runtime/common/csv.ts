/**
 * Minimal RFC 4180 CSV parser (quoted fields, doubled quotes, CRLF/LF). Node built-ins only.
 * Returns rows of raw string cells; the caller trims and converts.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  // Strip a UTF-8 byte-order mark.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < n; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      inQuotes = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (inQuotes) throw new Error('CSV ends inside a quoted field');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Parses a CSV with a header row into objects keyed by the (trimmed) header names. */
export function parseCsvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0] === ''));
  const first = rows[0];
  if (first === undefined) throw new Error('CSV has no header row');
  const header = first.map((h) => h.trim());
  const records = rows.slice(1).map((r) => {
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      rec[h] = r[j] ?? '';
    });
    return rec;
  });
  return { header, records };
}
