/**
 * Catalog of the findings about sample data (SEG100–SEG149): the file and
 * its path (SEG100–SEG109), the file's content (SEG110–SEG119) and the data
 * against the declared fields (SEG120–SEG129).
 */
import type { CatalogEntry } from '../diagnostics/types.js';
import { linkDataCodes } from './related-codes.js';

export const dataCode = {
  pathOutsideWorkspace: 'SEG100',
  fileNotFound: 'SEG101',
  unsupportedFormat: 'SEG102',
  unreadableFile: 'SEG103',
  noHeader: 'SEG110',
  wrongCellCount: 'SEG111',
  unterminatedQuote: 'SEG112',
  invalidJson: 'SEG113',
  invalidJsonLine: 'SEG114',
  notAnObject: 'SEG115',
  duplicateColumn: 'SEG116',
  emptyColumnName: 'SEG117',
  noRows: 'SEG118',
  missingColumn: 'SEG120',
  badValues: 'SEG121',
  missingValues: 'SEG122',
  enumOutside: 'SEG123',
  duplicateKey: 'SEG124',
  missingKey: 'SEG125',
  keyNotAField: 'SEG126',
} as const;

export type DataCode = (typeof dataCode)[keyof typeof dataCode];

export const dataCodes: CatalogEntry[] = [
  {
    code: dataCode.pathOutsideWorkspace,
    severity: 'error',
    title: 'Data path outside the workspace',
    explanation:
      'The `source` of a dataset resolves to a file outside the workspace folder (through `../`, an absolute path, or a symbolic link inside the workspace that points elsewhere). Segspec never reads such a file, so that a spec cannot reach into other folders of the machine. Move the data into the workspace and give a path relative to the `.segspec` file.',
  },
  {
    code: dataCode.fileNotFound,
    severity: 'error',
    title: 'Data file not found',
    explanation:
      'The `source` of a dataset names a file that does not exist (or is a folder). Paths are relative to the folder of the `.segspec` file that declares the dataset. Check the spelling and the folder, or add the file.',
  },
  {
    code: dataCode.unsupportedFormat,
    severity: 'error',
    title: 'Unsupported data format',
    explanation:
      'Sample data is read from CSV (`.csv`), TSV (`.tsv`, `.tab`), JSON (`.json`, an array of objects) and JSON Lines (`.jsonl`, `.ndjson`) files; the format is taken from the file extension. Convert the data to one of these formats or rename the file to the extension that matches its content.',
  },
  {
    code: dataCode.unreadableFile,
    severity: 'error',
    title: 'Data file cannot be read',
    explanation:
      'The data file exists but reading it failed (permissions, or the file changed while it was read), or it is not a regular file: a FIFO, device or socket is never read, since reading one could block for ever. The message gives the reason. Fix the cause and save the spec again to reload.',
  },
  {
    code: dataCode.noHeader,
    severity: 'error',
    title: 'Empty data file',
    explanation:
      'A CSV or TSV file must start with a header row that names the columns; this one has no rows at all. Add the header (the column names, separated like the data) and the data rows.',
  },
  {
    code: dataCode.wrongCellCount,
    severity: 'error',
    title: 'Row with the wrong number of cells',
    explanation:
      'A row of a CSV or TSV file has more or fewer cells than the header has columns, so its values cannot be matched to columns: the row is left out of every count. Usually a cell contains the delimiter without being quoted (`"Paris, France"` needs the quotes) or a delimiter is missing. The message gives the line and column where the row goes wrong.',
  },
  {
    code: dataCode.unterminatedQuote,
    severity: 'error',
    title: 'Unterminated quoted cell',
    explanation:
      'A cell starts with `"` but the closing quote never comes, so the rest of the file would be one cell. The row is left out and reading resumes on the next line. Close the quote, or double a quote that is part of the value (`"5"" screen"`).',
  },
  {
    code: dataCode.invalidJson,
    severity: 'error',
    title: 'Invalid JSON',
    explanation:
      'A JSON data file must be one array of objects (`[{"user_id": "u1", ...}, ...]`). This file is not valid JSON or not an array, so no row can be used safely; the message gives the line and column of the first error. Fix the file, or use JSON Lines (one object per line) where a broken line does not spoil the others.',
  },
  {
    code: dataCode.invalidJsonLine,
    severity: 'error',
    title: 'Invalid JSON line',
    explanation:
      'A line of a JSON Lines file is not a valid JSON value. The line is left out; the other lines are used. The message gives the line and column of the error.',
  },
  {
    code: dataCode.notAnObject,
    severity: 'error',
    title: 'Record is not an object',
    explanation:
      'Each element of a JSON array, and each line of a JSON Lines file, must be an object whose keys are the field names. This one is another kind of value (a number, string, array or null) and is left out.',
  },
  {
    code: dataCode.duplicateColumn,
    severity: 'error',
    title: 'Duplicate column',
    explanation:
      'The header names the same column twice. Only the first of them is used; rename or remove the other one.',
  },
  {
    code: dataCode.emptyColumnName,
    severity: 'warning',
    title: 'Column without a name',
    explanation:
      'A header cell is empty, so the column has no field name; it is called `column_N` (N its position) until the header names it.',
  },
  {
    code: dataCode.noRows,
    severity: 'warning',
    title: 'No data rows',
    explanation:
      'The data file has no rows (only a header, an empty array, or no usable line), so every segment is empty and no expectation can be checked. Add sample rows.',
  },
  {
    code: dataCode.missingColumn,
    severity: 'error',
    title: 'Declared field has no column',
    explanation:
      'A field declared in `fields { }` does not appear in the data (names are case-sensitive). Every row treats it as missing, so rules that use it match nobody. Rename the field or the column, or remove the declaration; the message suggests a column with a similar name when there is one.',
  },
  {
    code: dataCode.badValues,
    severity: 'error',
    title: 'Values do not fit the declared type',
    explanation:
      'Some values of a column cannot be read as the declared type (e.g. `abc` in an `integer` field, `2026-13-01` in a `date` field, `1.2` in a `semver` field). Those values count as missing. The message gives how many rows, and the first such row with its line number and value. Fix the data, or change the declared type (hover the field to see the type inferred from the data).',
  },
  {
    code: dataCode.missingValues,
    severity: 'error',
    title: 'Missing values in a required field',
    explanation:
      'A field declared without `?` has rows with no value (an empty CSV cell, JSON `null` or an absent key). Rules treat those values as unknown (SQL semantics). Add `?` to the type when values may be missing, or fill in the data; the message gives how many rows and the first line.',
  },
  {
    code: dataCode.enumOutside,
    severity: 'error',
    title: 'Value outside the declared enum',
    explanation:
      'A field declared as `enum("a", "b", …)` has values that are not in the list. The message lists them with how many rows have each. Add the values to the enum if they are legitimate, or fix the data.',
  },
  {
    code: dataCode.duplicateKey,
    severity: 'error',
    title: 'Duplicate key',
    explanation:
      'The dataset\'s `key` field must identify each row, but some key values appear in more than one row. Explanations, examples and partition reports name rows by key, so duplicates make them ambiguous. The message gives how many values repeat and the first ones with their lines.',
  },
  {
    code: dataCode.missingKey,
    severity: 'error',
    title: 'Missing key',
    explanation:
      'Some rows have no value in the dataset\'s `key` field, so they cannot be named in explanations and reports. The message gives how many and the first line.',
  },
  {
    code: dataCode.keyNotAField,
    severity: 'error',
    title: 'Key is not a column',
    explanation:
      'The dataset\'s `key` names a field that is not a column of the data. Name one of the columns (usually an id).',
  },
];

dataCodes.push(...linkDataCodes);
