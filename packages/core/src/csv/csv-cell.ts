/**
 * One cell of a CSV file that Cordon writes, safe to open in a spreadsheet. RFC 4180 quoting
 * (a comma, quote or line break — or surrounding spaces — quotes the field, quotes inside are
 * doubled), and formula neutralisation: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is run as a formula by Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)`
 * in an asset's owner, a rule title, a log value), so it is written with a leading `'`. A cell
 * that starts with `'` gets one more, so that `csvCellValue` undoes exactly what was added and
 * an exported file imports back to the same values.
 */
const FORMULA_START = /^[=+\-@\t\r']/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The value a cell written by `csvCell` stood for (after the CSV parser has unquoted it). */
export function csvCellValue(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
